#!/bin/bash
for r in $(seq 1 $1); do
  COPIES=wide ./api-ab.sh 1 "$2" indexed /tmp/s16/abl.jar $3/w$r | sed 's/^/wide  /'
  JAVA_TOOL_OPTIONS=-Dx.noA2N=true COPIES=wide ./api-ab.sh 1 "$2" indexed /tmp/s16/abl.jar $3/a$r | sed 's/^/frScl /'
  JAVA_TOOL_OPTIONS=-Dx.noN2A=true COPIES=wide ./api-ab.sh 1 "$2" indexed /tmp/s16/abl.jar $3/n$r | sed 's/^/bkScl /'
  COPIES=scalar ./api-ab.sh 1 "$2" indexed /tmp/s16/abl.jar $3/s$r | sed 's/^/scal  /'
done
