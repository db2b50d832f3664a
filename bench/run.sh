#!/usr/bin/env bash
# Runs the pvring JMH benchmarks (bench/target/benchmarks.jar) on a JDK >= 25.
#
# usage: bench/run.sh [--smoke] [--gc] [--hgrm DIR] [--bounds-checks] [--no-build] [JMH options and regexps...]
#   (no regexp)        every benchmark, with the iteration/fork counts from the annotations
#   --smoke            one short fork per benchmark (-f 1 -wi 1 -i 1 -w 1s -r 1s): checks that it runs, no figures
#   --gc               add JMH's GC profiler (-prof gc: allocation rate per op, GC count)
#   --hgrm DIR         write an HdrHistogram .hgrm percentile distribution per latency benchmark fork into DIR
#   --bounds-checks    keep Agrona's bounds checks (default: off, -Dagrona.disable.bounds.checks=true)
#   --no-build         do not rebuild benchmarks.jar when sources changed
# Everything else goes to JMH as is, e.g.  bench/run.sh FutexRoundTrip -p peer=PROCESS -p mode=BLOCK
# Results go to bench/target/results/<UTC time>/ (jmh.json, jmh.log, machine.txt). Set PVRING_JAVA to pick a java.
#
# JVM options are given to the host JVM, which JMH forks inherit. Do not pass -jvmArgs/-jvmArgsAppend unless you
# repeat "--add-exports java.base/jdk.internal.misc=ALL-UNNAMED --enable-native-access=ALL-UNNAMED": on the
# command line they replace the @Fork(jvmArgsAppend) of the benchmark classes.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
jar="$here/target/benchmarks.jar"

java_major() { "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }
find_java() {
  local c v
  for c in "${PVRING_JAVA:-}" "${JAVA_HOME:+$JAVA_HOME/bin/java}" /usr/lib/jvm/temurin-25-jdk-amd64/bin/java \
           /usr/lib/jvm/*-25*/bin/java /usr/lib/jvm/*25*/bin/java "$HOME"/.sdkman/candidates/java/25*/bin/java \
           /usr/lib/jvm/*/bin/java "$(command -v java 2>/dev/null || true)"; do
    [ -n "$c" ] && [ -x "$c" ] || continue
    v="$(java_major "$c")"
    if [ -n "$v" ] && [ "${v%%.*}" -ge 25 ] 2>/dev/null; then echo "$c"; return 0; fi
  done
  return 1
}

smoke=() gc=() hgrm=() bounds=(-Dagrona.disable.bounds.checks=true) build=1 jmh=()
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) smoke=(-f 1 -wi 1 -i 1 -w 1s -r 1s) ;;
    --gc) gc=(-prof gc) ;;
    --hgrm) [ $# -ge 2 ] || { echo "run.sh: --hgrm needs a directory" >&2; exit 2; }
            mkdir -p "$2"; hgrm=("-Dpvring.bench.hgrmDir=$(cd "$2" && pwd)"); shift ;;
    --bounds-checks) bounds=() ;;
    --no-build) build=0 ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) jmh+=("$1") ;;
  esac
  shift
done

java="$(find_java)" || { echo "run.sh needs a JDK 25 or newer (e.g. Temurin 25 in /usr/lib/jvm); set PVRING_JAVA=/path/to/java" >&2; exit 1; }

if [ "$build" = 1 ] && { [ ! -f "$jar" ] \
   || [ -n "$(find "$root" -name '*.java' -path '*/src/main/*' -newer "$jar" -print -quit)" ] \
   || [ -n "$(find "$root" -name pom.xml -newer "$jar" -print -quit)" ]; }; then
  echo "run.sh: building benchmarks.jar (mvn package -pl bench -am)..." >&2
  (cd "$root" && mvn -q -B -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true package -pl bench -am) >&2
fi

out="$here/target/results/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
{
  echo "# $(date -u) $(uname -srm)"
  "$java" -version 2>&1
  command -v lscpu >/dev/null && lscpu
  echo "## load: $(cat /proc/loadavg)"
  echo "## command: $java ${bounds[*]} ${hgrm[*]} -jar $jar ${smoke[*]} ${gc[*]} ${jmh[*]}"
} > "$out/machine.txt"
echo "run.sh: results in $out" >&2

"$java" --add-exports java.base/jdk.internal.misc=ALL-UNNAMED --enable-native-access=ALL-UNNAMED \
  --sun-misc-unsafe-memory-access=allow "${bounds[@]}" "${hgrm[@]}" \
  -jar "$jar" "${smoke[@]}" "${gc[@]}" -rf json -rff "$out/jmh.json" "${jmh[@]}" 2>&1 | tee "$out/jmh.log"
