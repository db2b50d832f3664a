#!/bin/bash
# usage: ab.sh ROUNDS JAR... ; runs C + java per jar, interleaved
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
R=$1; shift
for r in $(seq 1 $R); do
  for jar in "$@"; do
    $J -jar /tmp/s15/$jar.jar 'XenRingOneThreadBenchmark' -f 1 -wi 3 -w 1s -i 3 -r 1s -bm avgt -tu ns -p entry=${ENTRY:-REQ64} -p batch=${BATCH:-32} -p api=${API:-message,batch} -p buffers=heap,offheap -p copies=wide -jvmArgsPrepend "--add-modules=jdk.incubator.vector" 2>&1 | grep -E 'avgt' | awk -v j=$jar -v r=$r '{printf "r%s %-6s %-5s %-8s %-5s %-8s %-9s %.2f\n", r, j, ($1 ~ /\.c$/ ? "C" : "java"), $2, $3, $4, $6, $(NF-3)/4096}'
  done
done
