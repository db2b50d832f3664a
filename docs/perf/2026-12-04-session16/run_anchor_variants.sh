#!/bin/bash
# Builds anchor_variants.c (bench/perf-kit/xenring_anchor.c with the back end's request copy and the front end's
# request write swapped by -D) and runs the variants interleaved: ROUNDS rounds x batches 8 and 32, 40 M messages each.
# usage: run_anchor_variants.sh ROUNDS   (from this directory; needs gcc and libxen-dev)
set -e
here=$(cd "$(dirname "$0")" && pwd); kit="$here/../../../bench/perf-kit"; work=$(mktemp -d)
variants="BASE LOAD512 LOAD256 LOAD64 TOUCH512 TOUCH128 PFW128 LOAD64:STORE512 LOAD64:STORE64"
for v in $variants; do
    gcc -O2 -pthread -I"$kit" $(echo "-D$v" | sed 's/:/ -D/g') "$here/anchor_variants.c" -o "$work/anc_${v/:/_}"
done
for r in $(seq 1 "${1:-3}"); do for b in 8 32; do for v in $variants; do
    printf 'r%s batch=%-2s %-16s %s\n' "$r" "$b" "$v" "$("$work/anc_${v/:/_}" "$b" checkNotify 40000000 | awk '{print $(NF-1)}')"
done; done; done
rm -rf "$work"
