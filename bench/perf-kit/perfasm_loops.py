#!/usr/bin/env python3
# Copyright 2026 The pvring developers
# SPDX-License-Identifier: Apache-2.0
"""Lists the loops of JMH perfasm's hottest region (backward conditional jumps under 600 bytes) with their
instruction counts and samples, and prints one loop's instructions: how many instructions a message costs in a
benchmark loop, independent of the machine's state (these VMs change speed within minutes; the count does not).

usage: perfasm_loops.py PERFASM_OUTPUT [LOOP_NUMBER]

PERFASM_OUTPUT as for perfasm_by_line.py. A loop C2 unrolled k times holds k messages: divide its count by k (the
listing shows k copies of the body).
"""
import re
import sys


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    lines = open(sys.argv[1], encoding='utf-8', errors='replace').read().split('\n')
    try:
        start = next(i for i, l in enumerate(lines) if '[Hottest Region 1]' in l)
        end = next(i for i, l in enumerate(lines) if '<total for region 1>' in l)
    except StopIteration:
        sys.exit('perfasm_loops.py: no hottest region in %s' % sys.argv[1])
    rows = []
    for line in lines[start:end]:
        m = re.search(r'0x([0-9a-f]+):\s+(\S+)\s*(.*)', line)
        if m:
            rows.append((int(m.group(1), 16), line[:10].strip(), m.group(2), m.group(3)[:90]))
    loops = []
    for address, _, op, arg in rows:
        target = re.search(r'0x([0-9a-f]+)', arg)
        if op.startswith('j') and op != 'jmp' and target:
            to = int(target.group(1), 16)
            if to < address and address - to < 600:
                loops.append((to, address))

    def samples(lo, hi):
        return sum(float(p[:-1]) for a, p, _, _ in rows if lo <= a <= hi and p.endswith('%'))

    print('region 1: %.1f%% of all samples' % samples(0, 1 << 64))
    for k, (lo, hi) in enumerate(loops):
        print('loop %d: %x-%x, %d instructions, %.1f%% of samples'
              % (k, lo, hi, sum(1 for r in rows if lo <= r[0] <= hi), samples(lo, hi)))
    if len(sys.argv) > 2:
        lo, hi = loops[int(sys.argv[2])]
        for address, p, op, arg in rows:
            if lo <= address <= hi:
                print('%x %7s %s %s' % (address & 0xffff, p, op, arg))


if __name__ == '__main__':
    main()
