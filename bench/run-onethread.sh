#!/usr/bin/env bash
# Copyright 2026 The pvring developers
# SPDX-License-Identifier: Apache-2.0
#
# One-thread protocol cost, Java beside its C twin, interleaved: each JMH run holds one configuration's C twin
# (method `c`) and its Java methods back to back (A/B), and the configurations are repeated round-robin PAIRS times
# (A/B/A/B...). The report divides every Java figure by the C figure of the same run and prints the ratio per pair.
#
# usage: bench/run-onethread.sh [--smoke] [--no-build] [--gc] [--pairs N] [--out DIR] [--config 'REGEX|JMH OPTIONS']...
#   --smoke        one pair of the Xen ring at batch 32, the byte ring (64 B, batch 16) and shmstream (64 B, batch 32),
#                  1 x 100 ms warm-up and measurement: proves the benchmarks and the report run (numbers mean nothing)
#   --no-build     use bench/target/benchmarks.jar as it is
#   --gc           add -prof gc (B/op column)
#   --pairs N      A/B pairs per configuration (default 3)
#   --out DIR      where results go (default bench/results); writes DIR/onethread-TIME/{*.json,run.log,report.md}
#   --config C     a configuration instead of the defaults (repeatable): JMH regex, '|', JMH options
# Environment: JAVA (a JDK 25+ java), WARMUP_ITERATIONS (4), WARMUP_TIME (1s), ITERATIONS (3),
#   ITERATION_TIME (1s), JMH_EXTRA (more JMH options for every run, e.g. "-p push=release"),
#   BENCH_JAR (another benchmarks.jar, e.g. a copy of the "before" build; implies nothing is built),
#   XBATCH (1: forks run with -Xbatch, so a method that gets hot waits for its compilation: on a loaded machine a
#   starved compiler thread otherwise leaves interpreted or C1 code running into the measurement; 0 to turn off),
#   COPIES ("scalar wide": each configuration runs once with pvring's default 8-byte copies and once with the
#   JVM option --add-modules=jdk.incubator.vector, whose 16- to 64-byte moves pvring then uses; the report's
#   copies= column tells them apart; "scalar" or "wide" for one of them).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
jar="${BENCH_JAR:-$here/target/benchmarks.jar}"
out="$here/results"
smoke=0
build=1
gc=0
pairs=3
configs=()

while [ $# -gt 0 ]; do
    case "$1" in
        --smoke) smoke=1 ;;
        --no-build) build=0 ;;
        --gc) gc=1 ;;
        --pairs) pairs="$2"; shift ;;
        --out) out="$2"; shift ;;
        --config) configs+=("$2"); shift ;;
        -h|--help) sed -n '5,22p' "$0"; exit 0 ;;
        *) echo "run-onethread.sh: unknown argument: $1 (try --help)" >&2; exit 2 ;;
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
    echo "run-onethread.sh: no JDK 25+ java found; set JAVA=/path/to/jdk-25/bin/java" >&2
    exit 1
}
java="$(find_java)"
[ -z "${BENCH_JAR:-}" ] || build=0

if [ "$build" = 1 ]; then
    echo "building bench/target/benchmarks.jar ..."
    (cd "$root" && mvn -B -q -pl bench -am package -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true)
fi
[ -f "$jar" ] || { echo "run-onethread.sh: $jar is missing (build with: mvn -B -q -pl bench -am package -DskipTests)" >&2; exit 1; }

if [ "$smoke" = 1 ]; then
    pairs=1; wi=1; w=100ms; i=1; r=100ms
    [ ${#configs[@]} -gt 0 ] || configs=("XenRingOneThreadBenchmark|-p entry=REQ64 -p batch=32"
        "ByteRingOneThreadBenchmark|-p size=64 -p batch=16"
        "ShmStreamOneThreadBenchmark|-p size=64 -p batch=32")
else
    wi="${WARMUP_ITERATIONS:-4}"; w="${WARMUP_TIME:-1s}"; i="${ITERATIONS:-3}"; r="${ITERATION_TIME:-1s}"
    if [ ${#configs[@]} -eq 0 ]; then
        for entry in REQ64 NETIF_TX BLKIF; do for batch in 1 8 32 ring; do
            configs+=("XenRingOneThreadBenchmark|-p entry=$entry -p batch=$batch")
        done; done
        configs+=("ByteRingOneThreadBenchmark|" "ShmStreamOneThreadBenchmark|")
    fi
fi

stamp="$(date -u +%Y%m%dT%H%M%SZ)"
dir="$out/onethread-$stamp"
mkdir -p "$dir"
log="$dir/run.log"
profiler=()
[ "$gc" = 1 ] && profiler=(-prof gc)
xbatch=""
[ "${XBATCH:-1}" = 1 ] && xbatch="-Xbatch"
copies="${COPIES:-scalar wide}"
for mode in $copies; do
    case "$mode" in scalar|wide) ;; *) echo "run-onethread.sh: COPIES must list scalar and/or wide: COPIES=$copies" >&2; exit 2 ;; esac
done
{
    echo "# pvring one-thread A/B run $(date -u) $(uname -r)"
    echo "# commit $(cd "$root" && git rev-parse --short HEAD 2>/dev/null || echo unknown)$(cd "$root" && git diff --quiet 2>/dev/null || echo ' (dirty)')${BENCH_JAR:+ (Java figures from BENCH_JAR=$BENCH_JAR, not built from this commit)}"
    echo "# $(grep -m1 'model name' /proc/cpuinfo) x $(nproc)"
    echo "# $("$java" -version 2>&1 | head -1)"
    echo "# pairs=$pairs warmup=${wi}x$w measurement=${i}x$r forks=1 per run copies=[$copies] $xbatch ${JMH_EXTRA:-}"
} | tee "$log"

failed=0
for ((p = 1; p <= pairs; p++)); do
    for ((k = 0; k < ${#configs[@]}; k++)); do
        for mode in $copies; do
            regex="${configs[$k]%%|*}"
            options="${configs[$k]#*|}"
            json="$dir/pair$p-config$k-$mode.json"
            jvmargs="$xbatch"
            [ "$mode" = wide ] && jvmargs="$jvmargs --add-modules=jdk.incubator.vector"
            jvm=()
            [ -n "${jvmargs// /}" ] && jvm=(-jvmArgsPrepend "${jvmargs# }")
            # shellcheck disable=SC2086
            cmd=("$java" -jar "$jar" "$regex" -f 1 -wi "$wi" -w "$w" -i "$i" -r "$r" "${jvm[@]}" "${profiler[@]}" -p copies="$mode" $options ${JMH_EXTRA:-}
                -rf json -rff "$json")
            echo "# pair $p config $k copies=$mode: $regex $options | loadavg before: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$log"
            if ! "${cmd[@]}" >> "$log" 2>&1; then
                echo "run-onethread.sh: FAILED: ${cmd[*]} (see $log)" | tee -a "$log" >&2
                failed=1
            fi
            echo "#   loadavg after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$log"
        done
    done
done

shopt -s nullglob
jsons=("$dir"/pair*.json)
if [ ${#jsons[@]} -eq 0 ]; then echo "run-onethread.sh: no results" >&2; exit 1; fi
"$java" -cp "$jar" dev.pvring.bench.ring.OneThreadReport --out "$dir/report.md" "${jsons[@]}"
if grep -q '<failure>' "$log"; then failed=1; fi
# every Java row needs its per-pair Java/C column ("r1, r2, ..."): a row without one had no C result in its run
if ! grep -qE '^\| [A-Za-z]+OneThreadBenchmark\.' "$dir/report.md" ||
    grep -E '^\| [A-Za-z]+OneThreadBenchmark\.' "$dir/report.md" | grep -vqE '\| [0-9.]+(, [0-9.]+)* \| [^|]+ \| [^|]+ \|$' ||
    [ "$failed" = 1 ]; then
    echo "run-onethread.sh: some benchmarks FAILED or gave no Java/C ratio, see $log" >&2
    exit 1
fi
echo "results: $dir"
