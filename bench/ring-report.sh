#!/usr/bin/env bash
# Copyright 2026 The pvring developers
# SPDX-License-Identifier: Apache-2.0
#
# Markdown report of a ring-suite run, with pvring figures as ratios to the peers of the same run and to the C
# anchors (shared/perf-kit/run_anchors.sh). bench/run-ring.sh calls this for you; use it to redo a report, e.g.
# with the anchors measured in the same session:
#   bench/ring-report.sh --json bench/results/ring-T.json --log bench/results/ring-T.log \
#       --c-pp2-rtt-ns 140 --c-spsc64-batch1-mmsgs 60 --c-spsc64-batch64-mmsgs 110
#   bench/ring-report.sh --json ... --log ... --anchors anchors.txt   (run_anchors.sh output saved to a file)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
java="${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}"
[ -x "$java" ] || java="$(command -v java)"
exec "$java" -cp "$here/target/benchmarks.jar" dev.pvring.bench.ring.RingReport "$@"
