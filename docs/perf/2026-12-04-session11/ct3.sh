#!/bin/bash
cd /work/main
for r in 1; do
  FORKS=3 BENCH_JAR=/tmp/s11/stamp.jar bench/run-crossthread.sh --pairs 1 --batches '8 32 ring' --apis 'message batch' --out /tmp/s11/ct3/scalar-r$r > /tmp/s11/ct3/scalar-r$r.log 2>&1
  FORKS=3 BENCH_JAR=/tmp/s11/stamp.jar JMH_EXTRA='-jvmArgsPrepend --add-modules=jdk.incubator.vector' bench/run-crossthread.sh --pairs 1 --batches '8 32 ring' --apis 'message batch' --out /tmp/s11/ct3/wide-r$r > /tmp/s11/ct3/wide-r$r.log 2>&1
done
