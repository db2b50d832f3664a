#!/bin/bash
# interleaved A/B of NetRingBenchmark: ROUNDS x (before, after) per direction/frame
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
OUT=${OUT:-/tmp/lead/netab-$(date +%H%M).txt}
ROUNDS=${ROUNDS:-2}
CASES=${CASES:-"rx:64 tx:64"}
JARS=${JARS:-"net-before net-after"}
for r in $(seq $ROUNDS); do
  for c in $CASES; do
    m=${c%%:*}; fb=${c##*:}
    for j in $JARS; do
      echo "## round $r $m $fb $j $(date +%T) load $(cut -d' ' -f1 /proc/loadavg)" >> $OUT
      $J -jar /tmp/lead/$j.jar "NetRingBenchmark.$m\$" -p frameBytes=$fb -f 1 -wi 2 -w 2s -i 3 -r 2s 2>&1 \
        | grep -E '^Iteration|^NetRingBenchmark|pvring-net' >> $OUT
    done
  done
done
echo done >> $OUT
