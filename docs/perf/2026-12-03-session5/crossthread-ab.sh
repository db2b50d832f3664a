#!/usr/bin/env bash
# cross-thread A/B: for each round, for each batch: C anchor, then each jar (FORKS forks), received Mmsg/s per fork
# a jar name ending in -nowarm runs that jar with -p warmUp=false
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
rounds=${ROUNDS:-2}; forks=${FORKS:-3}; batches=${BATCHES:-"8 32 ring"}; jars=${JARS:-"base after"}
out=${OUT:-/tmp/lead/xab}; mkdir -p $out
cd /tmp/lead
for r in $(seq 1 $rounds); do
  for b in $batches; do
    cb=$b; [ "$b" = ring ] && cb=512
    c=$(./anchor $cb checkNotify 50000000 | awk '{print $4}')
    line="round $r batch $b C=$c"
    for name in $jars; do
      jar=${name%-nowarm}; extra=""; [ "$jar" != "$name" ] && extra="-p warmUp=false"
      $J -jar $jar.jar 'RingThroughputBenchmark.xenRing$' -f $forks -wi 3 -w 1s -i 2 -r 1s -p batch=$b -p push=checkNotify $extra ${JMH_EXTRA:-} > $out/$name-$b-$r.txt 2>&1
      v=$(python3 - $out/$name-$b-$r.txt <<'PY'
import re,sys
t=open(sys.argv[1]).read()
out=[]
for f in t.split('# Fork:')[1:]:
    vals=[float(x) for x in re.findall(r'^Iteration\s+\d+:.*?\n(?:.*\n)*?\s+received:\s+([\d.]+)', f, re.M)]
    meas=vals[-2:] if len(vals)>=2 else vals
    out.append('%.1f'%(sum(meas)/len(meas)) if meas else '?')
print('/'.join(out))
PY
)
      line="$line $name=$v"
    done
    c2=$(./anchor $cb checkNotify 50000000 | awk '{print $4}')
    echo "$line C_after=$c2 load=$(cut -d' ' -f1 /proc/loadavg)"
  done
done
