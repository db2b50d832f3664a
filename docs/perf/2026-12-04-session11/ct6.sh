#!/bin/bash
cd /work/main
for r in 1 2; do for c in scalar wide; do
  FORKS=3 BENCH_JAR=/tmp/s11/final.jar bench/run-crossthread.sh --pairs 1 --batches '8 32 ring' --apis 'message batch' --copies $c --out /tmp/s11/ct6/$c-r$r > /tmp/s11/ct6/$c-r$r.log 2>&1
done; done
echo done > /tmp/s11/ct6/DONE
