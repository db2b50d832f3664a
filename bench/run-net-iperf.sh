#!/usr/bin/env bash
# Copyright 2026 The pvring developers
# SPDX-License-Identifier: Apache-2.0
#
# iperf3 through pvring (netfront -> netback over the simulated Xen platform, TAP on both ends) beside a veth pair
# between the same two network namespaces, interleaved per pair: veth, pvring, veth, pvring, ... (issue 12).
# Root only. Writes bench/results/net-iperf-<UTC>/report.md (table: pair | veth Gbit/s | pvring Gbit/s |
# pvring/veth) with the logs next to it. Everything it creates is removed on exit, Ctrl-C included.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: bench/run-net-iperf.sh [--pairs N] [--time S] [--parallel P] [--reverse] [--smoke] [--no-build] [--help]

Creates two network namespaces joined by a veth pair (198.18.<k>.1/2) and by a pvring link (198.19.<k>.1/2:
`pvring sim up`, `sim add-device --type vif`, `pvring netback` in the first namespace, `pvring netfront` in the
second, as README.md's five net commands), then runs iperf3 TCP from the second namespace (netfront side) to the
first: veth, pvring, veth, pvring, ... (A/B per pair), and writes the table to
bench/results/net-iperf-<UTC>/report.md.

  --pairs N     veth/pvring pairs (default 3)
  --time S      seconds per iperf3 run (default 10)
  --parallel P  iperf3 -P streams (default 1)
  --reverse     iperf3 -R: data flows first namespace -> second (netback -> netfront, the RX path)
  --smoke       1 pair of 2 s runs (does it work? no figures)
  --no-build    use cli/target/pvring.jar as it is (default: mvn -o package -pl cli -am when sources are newer)
  --help        this text

Needs root, /dev/net/tun, iproute2, iperf3, python3, a JDK >= 25 (PVRING_JAVA or /usr/lib/jvm/temurin-25-*).
Exit codes: 0 done, 1 a run failed, 2 usage, 3 missing prerequisite.
EOF
}

pairs=3; seconds=10; parallel=1; reverse=""; build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --pairs) pairs="${2:?--pairs needs N}"; shift 2 ;;
    --time) seconds="${2:?--time needs S}"; shift 2 ;;
    --parallel) parallel="${2:?--parallel needs P}"; shift 2 ;;
    --reverse) reverse="-R"; shift ;;
    --smoke) pairs=1; seconds=2; shift ;;
    --no-build) build=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run-net-iperf.sh: unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done
case "$pairs$seconds$parallel" in *[!0-9]*) echo "run-net-iperf.sh: --pairs, --time, --parallel take numbers" >&2; exit 2 ;; esac

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[ "$(id -u)" -eq 0 ] || { echo "run-net-iperf.sh: needs root (network namespaces, TAP devices)" >&2; exit 3; }
for tool in ip iperf3 python3; do
  command -v "$tool" >/dev/null || { echo "run-net-iperf.sh: missing $tool (apt-get install -y iproute2 iperf3 python3)" >&2; exit 3; }
done
[ -c /dev/net/tun ] || { echo "run-net-iperf.sh: missing /dev/net/tun" >&2; exit 3; }
java="${PVRING_JAVA:-}"
if [ -z "$java" ]; then
  for c in /usr/lib/jvm/temurin-25-jdk-amd64/bin/java /usr/lib/jvm/*-25*/bin/java; do [ -x "$c" ] && { java="$c"; break; }; done
fi
[ -n "$java" ] && [ -x "$java" ] || { echo "run-net-iperf.sh: no JDK 25 found; set PVRING_JAVA" >&2; exit 3; }

jar="$here/cli/target/pvring.jar"
if [ "$build" -eq 1 ] && { [ ! -f "$jar" ] || [ -n "$(find "$here" -name '*.java' -path '*/src/main/*' -newer "$jar" -print -quit)" ]; }; then
  echo "run-net-iperf.sh: building cli/target/pvring.jar (mvn -o package -pl cli -am)..." >&2
  (cd "$here" && mvn -B -o -q -Dstyle.color=never -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true \
     -Djcstress.skip=true package -pl cli -am) >&2
fi
[ -f "$jar" ] || { echo "run-net-iperf.sh: $jar missing (run without --no-build)" >&2; exit 3; }

# Unique names: this script's PID (TAP/veth names stay within 15 characters).
id=$$
k=$((id % 250 + 1))
sim="i12-netbench-$id"
nsa="i12nb-a-$id"
nsb="i12nb-b-$id"
veth_a="i12va$id"
veth_b="i12vb$id"
tap_prefix="i12p${id}v"        # netback names its TAP <prefix>1.0
tap_back="${tap_prefix}1.0"
tap_front="i12f$id"
veth_addr_a="198.18.$k.1"; veth_addr_b="198.18.$k.2"
pv_addr_a="198.19.$k.1";   pv_addr_b="198.19.$k.2"
port=$((20000 + id % 10000))
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
out="$here/bench/results/net-iperf-$stamp"
mkdir -p "$out"

pids=()
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  # Stop our own children one after the other in reverse order of start (netfront closes its vif, netback
  # disconnects, then the simulated host stops xenstored and deletes the system); SIGKILL after 10 s each.
  local i p
  for ((i=${#pids[@]}-1; i>=0; i--)); do
    p="${pids[$i]}"
    kill -TERM "$p" 2>/dev/null || continue
    for _ in $(seq 1 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$p" 2>/dev/null || true
  done
  ip netns pids "$nsa" 2>/dev/null | xargs -r kill -KILL 2>/dev/null || true
  ip netns pids "$nsb" 2>/dev/null | xargs -r kill -KILL 2>/dev/null || true
  ip netns del "$nsa" 2>/dev/null || true        # removes the veth pair and the TAP devices in it
  ip netns del "$nsb" 2>/dev/null || true
  rm -rf "/dev/shm/pvring-sim/$sim" 2>/dev/null || true
  [ $rc -eq 0 ] || echo "run-net-iperf.sh: failed (rc=$rc); logs in $out" >&2
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

pvring() { "$java" --enable-native-access=ALL-UNNAMED -jar "$jar" "$@"; }

await() { # await LOG TEXT SECONDS PID
  local i
  for ((i=0; i<$3*10; i++)); do
    grep -qF -- "$2" "$1" 2>/dev/null && return 0
    kill -0 "$4" 2>/dev/null || { echo "run-net-iperf.sh: process exited while waiting for '$2':" >&2; cat "$1" >&2; return 1; }
    sleep 0.1
  done
  echo "run-net-iperf.sh: timed out waiting for '$2':" >&2; cat "$1" >&2; return 1
}

echo "run-net-iperf.sh: namespaces $nsa $nsb, veth $veth_a/$veth_b, sim $sim, output $out" >&2
ip netns add "$nsa"
ip netns add "$nsb"
ip -n "$nsa" link set lo up
ip -n "$nsb" link set lo up
ip link add "$veth_a" netns "$nsa" type veth peer name "$veth_b" netns "$nsb"
ip -n "$nsa" addr add "$veth_addr_a/24" dev "$veth_a"; ip -n "$nsa" link set "$veth_a" up
ip -n "$nsb" addr add "$veth_addr_b/24" dev "$veth_b"; ip -n "$nsb" link set "$veth_b" up

# The pvring link: README.md's five commands.
"$java" --enable-native-access=ALL-UNNAMED -jar "$jar" sim up "$sim" --domains 1 >"$out/sim-up.log" 2>&1 & pids+=($!)
await "$out/sim-up.log" "host $sim up" 60 "${pids[-1]}"
pvring sim add-device "$sim" --type vif --frontend 1 --devid 0 >"$out/add-device.log" 2>&1
ip netns exec "$nsa" "$java" --enable-native-access=ALL-UNNAMED -jar "$jar" netback --sim "$sim" \
  --tap-prefix "$tap_prefix" >"$out/netback.log" 2>&1 & pids+=($!)
back_pid=${pids[-1]}
ip netns exec "$nsb" "$java" --enable-native-access=ALL-UNNAMED -jar "$jar" netfront --sim "$sim" --domid 1 \
  --devid 0 --tap "$tap_front" --queues 2 >"$out/netfront.log" 2>&1 & pids+=($!)
front_pid=${pids[-1]}
await "$out/netback.log" "vif1.0 connected" 90 "$back_pid"
await "$out/netfront.log" "netfront: state CONNECTED" 90 "$front_pid"
ip -n "$nsa" link set "$tap_back" up;  ip -n "$nsa" addr add "$pv_addr_a/24" dev "$tap_back"
ip -n "$nsb" link set "$tap_front" up; ip -n "$nsb" addr add "$pv_addr_b/24" dev "$tap_front"
ip netns exec "$nsb" ping -c 3 -i 0.2 -W 5 "$veth_addr_a" >"$out/ping-veth.log"
ip netns exec "$nsb" ping -c 3 -i 0.2 -W 5 "$pv_addr_a" >"$out/ping-pvring.log"

iperf() { # iperf LABEL ADDRESS -> prints Gbit/s (receiver side)
  local log="$out/iperf3-$1.json" server
  ip netns exec "$nsa" iperf3 -s -1 -p "$port" >"$out/iperf3-$1-server.log" 2>&1 &
  server=$!
  sleep 0.5
  if ! ip netns exec "$nsb" iperf3 -c "$2" -p "$port" -t "$seconds" -P "$parallel" $reverse -J >"$log" 2>&1; then
    echo "run-net-iperf.sh: iperf3 $1 failed:" >&2; cat "$log" >&2; kill "$server" 2>/dev/null || true; return 1
  fi
  wait "$server" 2>/dev/null || true
  python3 -c 'import json,sys; print("%.3f" % (json.load(open(sys.argv[1]))["end"]["sum_received"]["bits_per_second"] / 1e9))' "$log"
}

{
  echo "# iperf3: veth beside pvring (netfront/netback/TAP), $stamp"
  echo
  echo "iperf3 TCP, $seconds s per run, -P $parallel${reverse:+, -R (netback -> netfront)}; client in $nsb" \
       "(netfront side), server in $nsa (netback side); order veth, pvring per pair. Gbit/s = iperf3 receiver" \
       "bits_per_second / 1e9."
  echo
  echo "| pair | veth Gbit/s | pvring Gbit/s | pvring/veth | load average before the pair |"
  echo "|---|---|---|---|---|"
} >"$out/report.md"
for ((p=1; p<=pairs; p++)); do
  load="$(cut -d' ' -f1-3 /proc/loadavg)"
  v="$(iperf "veth-$p" "$veth_addr_a")"
  r="$(iperf "pvring-$p" "$pv_addr_a")"
  ratio="$(python3 -c 'import sys; v,r=float(sys.argv[1]),float(sys.argv[2]); print("%.3f" % (r/v if v else 0))' "$v" "$r")"
  echo "| $p | $v | $r | $ratio | $load |" >>"$out/report.md"
  echo "pair $p: veth $v Gbit/s, pvring $r Gbit/s, pvring/veth $ratio (load $load)" >&2
done
{
  echo
  echo "Machine: $(uname -srm), $(nproc) CPUs, $("$java" -version 2>&1 | head -1), $(iperf3 --version | head -1)"
  echo "Commit: $(cd "$here" && git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "Command: bench/run-net-iperf.sh --pairs $pairs --time $seconds --parallel $parallel ${reverse:+--reverse}"
} >>"$out/report.md"
cat "$out/report.md"
