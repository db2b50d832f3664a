#!/bin/bash
# Paired cross-thread A/B, wide copies: usage pab.sh ROUNDS 'BATCHES' 'APIS' OUT JAR-NAMES... (jars in /tmp/s16/NAME.jar)
R=$1; B=$2; A=$3; out=$4; shift 4
for r in $(seq 1 $R); do for b in $B; do for a in $A; do for j in "$@"; do
  COPIES=wide ./api-ab.sh 1 $b $a /tmp/s16/$j.jar $out/$j-r$r | sed "s/^/$j /; s/push=checkNotify warmUp=true//"
done; done; done; done
