#!/usr/bin/env python3
# Copyright 2026 The pvring developers
# SPDX-License-Identifier: Apache-2.0
"""Books the samples of JMH perfasm's hottest region to source lines of one Java method, and to the innermost
inlined frame: where in a benchmark loop (front put, back copy, pushes, ...) the time goes.

usage: perfasm_by_line.py PERFASM_OUTPUT METHOD_NAME [REGION]

PERFASM_OUTPUT is JMH's output with -prof 'perfasm:events=cpu-clock;intelSyntax=true;tooBigThreshold=8000;
mergeMargin=1000;printMargin=1000' (cpu-clock: these VMs have no hardware counters; the large margins keep a whole
compiled method in one region). C2 annotates only some instructions with their inlining chain; an instruction
without one is booked where the previous instruction went. A sample lands on the instruction after the one that
stalled (skid), so a fence's cost shows on the line after it.
"""
import collections
import re
import sys


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    path, method = sys.argv[1], sys.argv[2]
    region = sys.argv[3] if len(sys.argv) > 3 else '1'
    lines = open(path, encoding='utf-8', errors='replace').read().split('\n')
    try:
        start = next(i for i, l in enumerate(lines) if '[Hottest Region %s]' % region in l)
        end = next(i for i, l in enumerate(lines) if '<total for region %s>' % region in l)
    except StopIteration:
        sys.exit('perfasm_by_line.py: no hottest region %s in %s' % (region, path))
    instructions = []  # [percent, source line of METHOD, innermost frame]
    for line in lines[start:end]:
        if re.search(r'0x[0-9a-f]+:\s+\S', line):
            percent = re.match(r'\s*([0-9.]+)%', line)
            instructions.append([float(percent.group(1)) if percent else 0.0, None, None])
        frame = re.search(r'; - ([\w.$]+)::(\w+)@(\d+) \(line (\d+)\)', line)
        if frame and instructions:
            last = instructions[-1]
            if last[2] is None:
                last[2] = frame.group(1).split('.')[-1] + '::' + frame.group(2)
            if frame.group(2) == method and last[1] is None:
                last[1] = int(frame.group(4))
    by_line, by_frame = collections.Counter(), collections.Counter()
    source_line = frame_name = None
    total = 0.0
    for percent, line_number, frame in instructions:
        source_line = line_number if line_number is not None else source_line
        frame_name = frame if frame is not None else frame_name
        by_line[source_line] += percent
        by_frame[frame_name] += percent
        total += percent
    print('region %s: %.2f%% of all samples' % (region, total))
    print('by line of %s:' % method)
    for key, value in sorted(by_line.items(), key=lambda kv: -kv[1])[:25]:
        print('  line %-6s %6.2f%%' % (key, value))
    print('by innermost inlined frame:')
    for key, value in sorted(by_frame.items(), key=lambda kv: -kv[1])[:25]:
        print('  %-60s %6.2f%%' % (key, value))


if __name__ == '__main__':
    main()
