#!/usr/bin/env bash
# Copyright 2026 The pvring developers
# SPDX-License-Identifier: Apache-2.0
#
# Runs the Xen ring benchmark suite (package dev.pvring.bench.ring: throughput vs JCTools/Agrona/Disruptor,
# round trip, notifications per message) on JDK 25 and turns the JSON into a markdown report with ratios.
# See bench/RING-BENCHMARKS.md.
#
# usage: bench/run-ring.sh [--gc] [--smoke] [--no-build] [--anchors FILE] [--out DIR] [REGEX]
#   --gc           add -prof gc (allocation per op; the report gets an allocation table)
#   --smoke        1 fork, 1 x 1 s warm-up, 1 x 1 s measurement: proves the suite runs, numbers mean nothing
#   --no-build     use bench/target/benchmarks.jar as it is
#   --anchors FILE output of shared/perf-kit/run_anchors.sh from the same session (C pp2 RTT, C SPSC Mmsg/s)
#   --out DIR      where results go (default bench/results)
#   REGEX          JMH benchmark filter (default: the whole ring suite)
# Environment: JAVA (a JDK 25+ java), FORKS (3), WARMUP_ITERATIONS (5), WARMUP_TIME (1s),
#   ITERATIONS (5), ITERATION_TIME (2s), JMH_EXTRA (more JMH options, e.g. "-p batch=32").
# Writes OUT/ring-TIMESTAMP.json (JMH), .log (console, holds the HDR-RTT lines) and .md (the report).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
jar="$here/target/benchmarks.jar"
out="$here/results"
gc=0
smoke=0
build=1
anchors=""
filter='dev\.pvring\.bench\.ring\.'

while [ $# -gt 0 ]; do
    case "$1" in
        --gc) gc=1 ;;
        --smoke) smoke=1 ;;
        --no-build) build=0 ;;
        --anchors) anchors="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"; shift ;;
        --out) out="$2"; shift ;;
        -h|--help) sed -n '5,18p' "$0"; exit 0 ;;
        -*) echo "run-ring.sh: unknown option: $1 (try --help)" >&2; exit 2 ;;
        *) filter="$1" ;;
    esac
    shift
done

find_java() {
    if [ -n "${JAVA:-}" ]; then echo "$JAVA"; return; fi
    for candidate in /usr/lib/jvm/temurin-25-jdk-amd64/bin/java /usr/lib/jvm/*-25*/bin/java /usr/lib/jvm/*25*/bin/java \
        "${JAVA_HOME:-/nonexistent}/bin/java" "$(command -v java || true)"; do
        if [ -x "$candidate" ]; then
            major="$("$candidate" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
            if [ "${major:-0}" -ge 25 ] 2>/dev/null; then echo "$candidate"; return; fi
        fi
    done
    echo "run-ring.sh: no JDK 25+ java found; set JAVA=/path/to/jdk-25/bin/java" >&2
    exit 1
}
java="$(find_java)"

if [ "$build" = 1 ]; then
    echo "building bench/target/benchmarks.jar ..."
    (cd "$root" && mvn -B -q -pl bench -am package -DskipTests -Dmaven.javadoc.skip=true)
fi
if [ ! -f "$jar" ]; then
    echo "run-ring.sh: $jar is missing (build with: mvn -B -q -pl bench -am package -DskipTests)" >&2
    exit 1
fi

if [ "$smoke" = 1 ]; then
    forks=1; wi=1; w=1s; i=1; r=1s
else
    forks="${FORKS:-3}"; wi="${WARMUP_ITERATIONS:-5}"; w="${WARMUP_TIME:-1s}"; i="${ITERATIONS:-5}"; r="${ITERATION_TIME:-2s}"
fi

mkdir -p "$out"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
base="$out/ring-$stamp"
profiler=()
if [ "$gc" = 1 ]; then profiler=(-prof gc); fi
# -jvmArgsPrepend, not -jvmArgsAppend: a command-line -jvmArgsAppend would replace the benchmarks' own
# @Fork(jvmArgsAppend = --add-exports ... --enable-native-access ...).
# shellcheck disable=SC2086
cmd=("$java" -jar "$jar" "$filter" -f "$forks" -wi "$wi" -w "$w" -i "$i" -r "$r"
    -jvmArgsPrepend -Dagrona.disable.bounds.checks=true "${profiler[@]}" -rf json -rff "$base.json" ${JMH_EXTRA:-})

{
    echo "# pvring ring suite $(date -u) $(uname -r)"
    echo "# $(grep -m1 'model name' /proc/cpuinfo) x $(nproc)"
    echo "# loadavg before: $(cat /proc/loadavg)"
    echo "# ${cmd[*]}"
} | tee "$base.log"
"${cmd[@]}" 2>&1 | tee -a "$base.log"
echo "# loadavg after: $(cat /proc/loadavg)" | tee -a "$base.log"

report=("$java" -cp "$jar" dev.pvring.bench.ring.RingReport --json "$base.json" --log "$base.log" --out "$base.md")
if [ -n "$anchors" ]; then report+=(--anchors "$anchors"); fi
"${report[@]}"

if grep -q '<failure>' "$base.log"; then
    echo "run-ring.sh: some benchmarks FAILED, see $base.log" >&2
    exit 1
fi
echo "results: $base.json  $base.log  $base.md"
