#!/bin/bash
# one-thread wide: usage ot2.sh ROUNDS ENTRY BATCH API JAR...
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
R=$1; E=$2; B=$3; A=$4; shift 4
for r in $(seq 1 $R); do for jar in "$@"; do
  $J -jar /tmp/s16/$jar.jar 'XenRingOneThreadBenchmark' -f 1 -wi 3 -w 1s -i 3 -r 1s -bm avgt -tu ns -p entry=$E -p batch=$B -p api=$A -p buffers=heap,offheap -p copies=wide -jvmArgsPrepend "--add-modules=jdk.incubator.vector" 2>&1 | grep -E 'avgt' | awk -v c=$jar -v r=$r -v e=$E -v b=$B '{v=$(NF-3)/4096; if ($1 ~ /\.c$/) {cc=v; printf "r%s %s b%s %-5s C %.2f", r, e, b, c, v} else printf "  %s %.2f (%.2fx)", $4, v, v/cc} END{print ""}'
done; done
