#!/usr/bin/env bash
# Copyright 2026 The pvring developers
# SPDX-License-Identifier: Apache-2.0
#
# Cross-thread Xen ring throughput beside its C twin and Agrona's OneToOneRingBuffer, interleaved (issue 10):
# for each pair, for each batch: the C anchor (bench/perf-kit/xenring_anchor.c, two pthreads, the real io/ring.h
# macros, one process), Agrona's OneToOneRingBuffer (64-byte records, one JMH run), then
# RingThroughputBenchmark.xenRing (one JMH run per api), then the C anchor again. Prints every figure and the ratio
# per pair; the C figure also tells the machine's state (two vCPUs sharing a cache move a cache line several times
# faster). Java/C divides by the C run before the Java runs; the state column compares it with the C run after them:
# "same" when they differ by less than 25 %, else "moved" (the ratio then mixes two states and says little).
#
# usage: bench/run-crossthread.sh [--no-build] [--smoke] [--paired] [--pairs N] [--batches 'B ...']
#   [--push checkNotify|release] [--apis 'message batch raw'] [--copies scalar|wide] [--out DIR]
# --paired: instead, XenRingPairedBenchmark: C and Java take turns iteration by iteration (1 s each) on the same two
#   pinned threads of one JMH fork, and each Java iteration is divided by the mean of the C iterations around it
#   (dev.pvring.bench.ring.PairedReport); one JMH run (FORKS forks, WARMUP_ITERATIONS 4, ITERATIONS 11: 5 pairs a
#   fork) per batch and api, each fork profiled with -prof gc (B/op column; with --smoke, a fork above 1 B/op fails
#   the run). No Agrona column (the plain mode has it).
# --apis: the Java ring's calls, per-message (message, the default), batch calls (batch), batch claims with indexed copies
#   (indexed) and/or the unchecked floor (raw); each
#   pair runs C, then the Java ring once per api in the order given, for each batch size.
# --copies: pvring's copies in the Java ring's forks: scalar (8-byte moves, the default JVM) or wide (16- to 64-byte
#   moves: the forks run with --add-modules=jdk.incubator.vector); the report's header names it.
# Environment: JAVA (a JDK 25+ java), MESSAGES (C messages per run, 50000000), WARMUP_ITERATIONS (3),
#   ITERATIONS (3) (1 s each), FORKS (JMH forks per Java run, 1; with more, the Java figure is the median of the
#   forks' means and the report adds their range: forks of one configuration can differ by 1.5x), JMH_EXTRA
#   (more JMH options for every Java run), BENCH_JAR (another benchmarks.jar, e.g. a copy of the "before" build;
#   implies --no-build).
# Agrona's bounds checks stay at their default (on) on both sides, as a user runs them.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
jar="${BENCH_JAR:-$here/target/benchmarks.jar}"
out="$here/results"
build=1
smoke=0
paired=0
pairs=3
batches="8 32 ring"
push=checkNotify
apis=message
copies=scalar

while [ $# -gt 0 ]; do
    case "$1" in
        --no-build) build=0 ;;
        --smoke) smoke=1 ;;
        --pairs) pairs="$2"; shift ;;
        --batches) batches="$2"; shift ;;
        --push) push="$2"; shift ;;
        --apis) apis="$2"; shift ;;
        --copies) copies="$2"; shift ;;
        --out) out="$2"; shift ;;
        --paired) paired=1 ;;
        -h|--help) sed -n '5,30p' "$0"; exit 0 ;;
        *) echo "run-crossthread.sh: unknown argument: $1 (try --help)" >&2; exit 2 ;;
    esac
    shift
done
case "$push" in checkNotify|release) ;; *) echo "run-crossthread.sh: --push must be checkNotify or release: $push (try --help)" >&2; exit 2 ;; esac
case "$copies" in scalar) wide=() ;; wide) wide=(-jvmArgsPrepend --add-modules=jdk.incubator.vector) ;;
    *) echo "run-crossthread.sh: --copies must be scalar or wide: $copies (try --help)" >&2; exit 2 ;; esac
for a in $apis; do case "$a" in message|batch|indexed|raw) ;; *) echo "run-crossthread.sh: --apis takes message, batch, indexed and/or raw: $a (try --help)" >&2; exit 2 ;; esac; done

java="${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}"
[ -x "$java" ] || { echo "run-crossthread.sh: no JDK 25 java at $java; set JAVA" >&2; exit 1; }
[ -z "${BENCH_JAR:-}" ] || build=0
if [ "$build" = 1 ]; then
    (cd "$root" && mvn -B -q -pl bench -am package -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true)
fi
[ -f "$jar" ] || { echo "run-crossthread.sh: $jar is missing" >&2; exit 1; }

forks="${FORKS:-1}"
case "$forks" in ''|*[!0-9]*|0) echo "run-crossthread.sh: FORKS must be a positive number: $forks (try --help)" >&2; exit 2 ;; esac
if [ "$smoke" = 1 ]; then pairs=1; wi=1; i=1; messages=2000000; forks=1; else
    wi="${WARMUP_ITERATIONS:-3}"; i="${ITERATIONS:-3}"; messages="${MESSAGES:-50000000}"; fi
dir="$out/crossthread-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$dir"
# The report's first lines: what ran, where, from which commit and JDK. header KIND "WHAT RAN"
header() {
    echo "# pvring $1 $(date -u) $(uname -r), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2) x $(nproc)"
    echo "# commit $(cd "$root" && git rev-parse --short HEAD 2>/dev/null || echo '?')${BENCH_JAR:+ (Java figures from BENCH_JAR=$BENCH_JAR, not built from this commit)}, $("$java" -version 2>&1 | head -1), push=$push, copies=$copies, $2"
    echo "# loadavg before: $(cat /proc/loadavg)"
}
if [ "$paired" = 1 ]; then
    # Each JMH run alternates C and Java itself; the report pairs its iterations. Smoke: C, Java, C measured.
    # Every fork is profiled with -prof gc (each reports its B/op); the smoke run fails on a fork above 1 B/op.
    limit=()
    if [ "$smoke" = 1 ]; then pwi=2; pi=3; ptime=300ms; batches=32; apis=message; limit=(--max-bytes-per-op 1); else
        pwi="${WARMUP_ITERATIONS:-4}"; pi="${ITERATIONS:-11}"; ptime=1s; fi
    {
        header "paired cross-thread ring run" "$forks fork(s) x $pi iterations of $ptime (C first, then every other), $pwi warm-up"
    } > "$dir/header.md"
    jsons=()
    for p in $(seq 1 "$pairs"); do
        for b in $batches; do
            for a in $apis; do
                name="paired-$b-$a-$p"
                # shellcheck disable=SC2086
                "$java" -jar "$jar" 'XenRingPairedBenchmark.paired$' -f "$forks" -wi "$pwi" -w "$ptime" -i "$pi" \
                    -r "$ptime" -p batch="$b" -p push="$push" -p api="$a" "${wide[@]}" -foe true -prof gc ${JMH_EXTRA:-} \
                    -rf json -rff "$dir/$name.json" > "$dir/$name.log" 2>&1 \
                    || { echo "JMH failed: $dir/$name.log" >&2; exit 1; }
                jsons+=("$dir/$name.json")
                echo "done: $name"
            done
        done
    done
    echo "# loadavg after: $(cat /proc/loadavg)" >> "$dir/header.md"
    status=0
    "$java" -cp "$jar" dev.pvring.bench.ring.PairedReport --out "$dir/pairs.md" "${limit[@]}" "${jsons[@]}" > /dev/null \
        || status=$?
    [ -f "$dir/pairs.md" ] || exit "$status"
    cat "$dir/header.md" "$dir/pairs.md" > "$dir/report.md"
    rm "$dir/header.md" "$dir/pairs.md"
    cat "$dir/report.md"
    echo "results: $dir"
    exit "$status"
fi
anchor="$dir/xenring_anchor"
gcc -O2 -pthread -I"$here/perf-kit" "$here/perf-kit/xenring_anchor.c" -o "$anchor"

# FORKS JMH forks; prints the consumer's received Mmsg/s (ops/us) of the group: the median of the forks' means,
# then the lowest and highest fork mean.
jmh() { # name regex params...
    local name="$1" regex="$2"; shift 2
    # shellcheck disable=SC2086
    "$java" -jar "$jar" "$regex" -f "$forks" -wi "$wi" -w 1s -i "$i" -r 1s "$@" ${JMH_EXTRA:-} \
        -rf json -rff "$dir/$name.json" > "$dir/$name.log" 2>&1 || { echo "JMH failed: $dir/$name.log" >&2; exit 1; }
    python3 - "$dir/$name.json" <<'PY'
import json, statistics, sys
runs = json.load(open(sys.argv[1]))
forks = [statistics.mean(f) for f in runs[0]["secondaryMetrics"]["received"]["rawData"]]
print("%.2f %.2f %.2f" % (statistics.median(forks), min(forks), max(forks)))
PY
}
# "median" or, with several forks, "median [min-max]".
shown() { if [ "$forks" = 1 ]; then echo "$1"; else echo "$1 [$2-$3]"; fi; }

{
    header "cross-thread ring run" "64-byte requests, 8-byte responses, 16-page ring, $forks JMH fork(s) per Java figure"
    echo "| pair | batch | api | C Mmsg/s | Java Mmsg/s | Java/C | Agrona OneToOneRingBuffer Mmsg/s | Java/Agrona | C after Mmsg/s | state |"
    echo "|---|---|---|---|---|---|---|---|---|---|"
} | tee "$dir/report.md"
for p in $(seq 1 "$pairs"); do
    for b in $batches; do
        cb="$b"; [ "$b" = ring ] && cb=512
        c="$("$anchor" "$cb" "$push" "$messages" | awk '{print $4}')"
        # Agrona next to every batch size: the machine's state can change within a pair, and the ratio needs one state.
        read -r agrona alo ahi <<<"$(jmh "agrona-$b-$p" 'RingThroughputBenchmark.oneToOneRingBuffer$')"
        rows=()
        for a in $apis; do
            read -r j jlo jhi <<<"$(jmh "xen-$b-$a-$p" 'RingThroughputBenchmark.xenRing$' -p batch="$b" -p push="$push" -p api="$a" "${wide[@]}")"
            rows+=("$(printf '| %s | %s | %s | %s | %s | %.2f | %s | %.2f |' "$p" "$b" "$a" "$c" "$(shown "$j" "$jlo" "$jhi")" \
                "$(awk -v a="$j" -v b="$c" 'BEGIN{print a/b}')" "$(shown "$agrona" "$alo" "$ahi")" \
                "$(awk -v a="$j" -v b="$agrona" 'BEGIN{print a/b}')")")
        done
        after="$("$anchor" "$cb" "$push" "$messages" | awk '{print $4}')"
        state="$(awk -v a="$c" -v b="$after" 'BEGIN{d = a > b ? a - b : b - a; m = a > b ? a : b; print (d < 0.25 * m ? "same" : "moved")}')"
        for row in "${rows[@]}"; do
            printf '%s %s | %s |\n' "$row" "$after" "$state" | tee -a "$dir/report.md"
        done
    done
done
echo "# loadavg after: $(cat /proc/loadavg)" | tee -a "$dir/report.md"
echo "results: $dir"
