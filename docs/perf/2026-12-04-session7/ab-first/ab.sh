#!/bin/bash
# ab.sh OUT ROUNDS "JARS..." -- jmh config ; each jar with --add-modules; C twin included in every run
out=$1; rounds=$2; jars=$3; shift 3
mkdir -p $out
for r in $(seq 1 $rounds); do for j in $jars; do
  /usr/lib/jvm/temurin-25-jdk-amd64/bin/java -jar /tmp/lead/$j.jar "$@" -f 1 -wi 3 -w 1s -i 3 -r 1s -jvmArgsPrepend --add-modules=jdk.incubator.vector -rf json -rff $out/$j-r$r.json > $out/$j-r$r.log 2>&1
  python3 - $out/$j-r$r.json $j $r <<'PY'
import json,sys
d=json.load(open(sys.argv[1]))
c=[x for x in d if x['benchmark'].endswith('.c')]
cv=c[0]['primaryMetric']['scorePercentiles']['50.0']/4096 if c else None
for x in d:
    p=x['params']; m=x['primaryMetric']['scorePercentiles']['50.0']/4096
    if x['benchmark'].endswith('.java'):
        print('%s r%s %-8s %-7s %-8s %5.2f ns  C %5.2f  ratio %.2f'%(sys.argv[2],sys.argv[3],p.get('api'),p.get('buffers'),p.get('entry'),m,cv,m/cv))
PY
done; done
