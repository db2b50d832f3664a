#!/bin/bash
# C anchor for the Xen ring protocol (xenring_anchor.c): every batch x push mode of RingThroughputBenchmark.xenRing,
# 3 runs each as separate processes, median and runs, waiting for an idle machine like run_anchors.sh.
set -e
here="$(cd "$(dirname "$0")" && pwd)"
work="${TMPDIR:-/tmp}/pvring-anchors"; mkdir -p "$work"
gcc -O2 -pthread -I"$here" "$here/xenring_anchor.c" -o "$work/xenring_anchor"
idle_pct() { read -r _ u n s i w x y z _ < /proc/stat; t1=$((u+n+s+i+w+x+y+z)); i1=$i; sleep 1; read -r _ u n s i w x y z _ < /proc/stat; t2=$((u+n+s+i+w+x+y+z)); echo $(( 100*(i-i1)/(t2-t1) )); }
echo "# $(date -u) $(uname -r) $(grep -m1 'model name' /proc/cpuinfo)"
for push in checkNotify release; do for batch in 1 8 32 512; do
  vals=()
  for r in 1 2 3; do
    for k in 1 2 3 4 5 6 7 8 9 10; do ip=$(idle_pct); [ "$ip" -ge 95 ] && break; sleep 5; done
    vals+=("$("$work/xenring_anchor" "$batch" "$push" "${MESSAGES:-100000000}" | awk '{print $4}')")
  done
  sorted=$(printf '%s\n' "${vals[@]}" | sort -g | tr '\n' ' '); med=$(printf '%s\n' "${vals[@]}" | sort -g | sed -n 2p)
  printf '%-34s median=%-10s runs=[%s] idle_before=%s%%\n' "xenring 64B batch$batch $push Mmsg/s" "$med" "$sorted" "$ip"
done; done
