#!/bin/bash
# ab.sh OUTDIR ROUNDS "jars" COPIES jmh-params...   (COPIES: scalar|wide)
# Session 9 and 10 one-thread A/B: per round, each jar ($JARDIR/NAME.jar, /tmp/s9 in the session) runs $BENCH
# (XenRingOneThreadBenchmark, or SmallCopyOneThreadBenchmark) once, one fork, and prints ns per message and the
# ratio to the C twin of the same JVM, keyed by the entry (or the copy length) and the batch (Session 10: with
# several batch sizes in one run the C figure was taken from the wrong one before). EXTRA: more JVM options with
# wide copies (e.g. -Dpvring.outWidth=32 in Session 10's experimental build). /tmp/s10 in Session 10.
out=$1; rounds=$2; jars=$3; copies=$4; shift 4
mkdir -p "$out"
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
wide=(); [ "$copies" = wide ] && wide=(-jvmArgsPrepend "--add-modules=jdk.incubator.vector ${EXTRA:-}")
for r in $(seq 1 "$rounds"); do for j in $jars; do
  $J -jar "${JARDIR:-/tmp/s9}/$j.jar" "${BENCH:-XenRingOneThreadBenchmark}" "$@" -p copies="$copies" -f 1 -wi 3 -w 1s \
    -i 3 -r 1s -bm avgt "${wide[@]}" -rf json -rff "$out/$j-$copies-r$r.json" > "$out/$j-$copies-r$r.log" 2>&1
  python3 - "$out/$j-$copies-r$r.json" "$j" "$r" "$copies" <<'PY'
import json,sys
d=json.load(open(sys.argv[1]))
key=lambda p: (p.get('entry',p.get('length')), p.get('batch'))
cs={key(x['params']):x['primaryMetric']['score']/4096 for x in d if x['benchmark'].endswith('.c')}
for x in d:
    p=x['params']; m=x['primaryMetric']['score']/4096
    if x['benchmark'].endswith('.java'):
        cv=cs.get(key(p))
        print('%-7s r%s %-6s %-8s %-7s %-8s b%-4s %6.2f ns  C %5.2f  ratio %.2f'%(sys.argv[2],sys.argv[3],sys.argv[4],p.get('api'),p.get('buffers'),key(p)[0],p.get('batch'),m,cv,m/cv))
PY
done; done
