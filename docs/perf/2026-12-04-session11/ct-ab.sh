#!/bin/bash
# alternates scalar and wide cross-thread runs of one jar
cd /work/main
for r in 1 2; do
  BENCH_JAR=${JAR:-/tmp/s11/head.jar} bench/run-crossthread.sh --pairs 1 --batches '8 32 ring' --apis 'message batch' --out /tmp/s11/ct2/scalar-r$r > /tmp/s11/ct2/scalar-r$r.log 2>&1
  BENCH_JAR=${JAR:-/tmp/s11/head.jar} JMH_EXTRA='-jvmArgsPrepend --add-modules=jdk.incubator.vector' bench/run-crossthread.sh --pairs 1 --batches '8 32 ring' --apis 'message batch' --out /tmp/s11/ct2/wide-r$r > /tmp/s11/ct2/wide-r$r.log 2>&1
done
