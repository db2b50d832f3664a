#!/bin/bash
# rounds of: indexed wide, indexed scalar at each batch; usage mix3.sh ROUNDS 'BATCHES' OUT [API]
for r in $(seq 1 $1); do for b in $2; do
  COPIES=wide ./api-ab.sh 1 "$b" ${4:-indexed} /tmp/s16/base.jar $3/w$r | sed 's/^/wide /'
  COPIES=scalar ./api-ab.sh 1 "$b" ${4:-indexed} /tmp/s16/base.jar $3/s$r | sed 's/^/scal /'
done; done
