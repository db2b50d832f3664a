#!/bin/bash
# Interleaved paired runs per api: usage api-ab.sh ROUNDS 'BATCHES' 'APIS' JAR OUT
rounds=$1; batches=$2; apis=$3; jar=$4; out=$5
mkdir -p "$out"; cd /work/main
for r in $(seq 1 "$rounds"); do for b in $batches; do for a in $apis; do
  FORKS=1 BENCH_JAR="$jar" bench/run-crossthread.sh --no-build --paired --pairs 1 --batches "$b" --apis "$a" \
    --copies ${COPIES:-wide} --out "$out/r$r-b$b-$a-${COPIES:-wide}" > "$out/r$r-b$b-$a-${COPIES:-wide}.log" 2>&1
  printf '%s r%s ' "$(date +%H:%M:%S)" "$r"
  grep '^|' "$out"/r$r-b$b-$a-${COPIES:-wide}/*/report.md | awk -F'|' 'NR==3{print $2"|"$3"|"$4"|"$7"|"$8}'
done; done; done
