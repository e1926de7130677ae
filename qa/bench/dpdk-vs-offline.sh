#!/usr/bin/env bash
# Live DPDK capture against offline replay of the same pcap: `vigil -r` (single)
# and `vigil --dpdk` on a net_pcap vdev (workers, 1 thread), 3 alternating rounds.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/../.." && pwd)
if [ -z "${BUILD_DIR:-}" ]; then
    BUILD_DIR=$REPO
    [ -f "$REPO/build/Makefile" ] && BUILD_DIR=$REPO/build
fi
VIGIL=$BUILD_DIR/vigil
PCAPGEN=$BUILD_DIR/qa/tools/vigil-pcapgen
DATA_DIR=$REPO/qa/bench/data
# run.sh's capture; without it a smaller one is generated once.
PCAP=${BENCH_PCAP:-$DATA_DIR/bench-f${BENCH_FLOWS:-100000}-s${BENCH_SEED:-1}.pcap}
SMALL_FLOWS=20000
ROUNDS=${BENCH_DPDK_ROUNDS:-3}
# How long the DPDK run may take to receive the whole file before it counts as hung.
RECEIVE_TIMEOUT_S=120

die() { echo "bench-dpdk: $*" >&2; exit 1; }

build() {
    if [ -f "$BUILD_DIR/Makefile" ]; then
        make -s -C "$BUILD_DIR" vigil qa/tools/vigil-pcapgen >&2 || die "build failed in $BUILD_DIR"
    fi
    [ -x "$VIGIL" ] || die "$VIGIL is missing: run qa/setup.sh first (or set BUILD_DIR)"
    if ! "$VIGIL" --build-info | grep -qw dpdk; then
        echo "bench-dpdk: skipped: $VIGIL is built without DPDK (install libdpdk-dev, reconfigure)"
        exit 0
    fi
}

pick_pcap() {
    [ -s "$PCAP" ] && return
    [ -z "${BENCH_PCAP:-}" ] || die "$PCAP does not exist"
    PCAP=$DATA_DIR/dpdk-f$SMALL_FLOWS-s1.pcap
    if [ ! -s "$PCAP" ] || [ "$PCAPGEN" -nt "$PCAP" ]; then
        mkdir -p "$DATA_DIR"
        echo "bench-dpdk: generating $PCAP ($SMALL_FLOWS flows)" >&2
        "$PCAPGEN" --flows "$SMALL_FLOWS" --seed 1 --out "$PCAP.tmp" >&2
        mv "$PCAP.tmp" "$PCAP"
    fi
}

# One configuration for both runs: etc/vigil.yaml's engine settings, EVE flow
# records only, and the net_pcap port (ignored by -r). The file prefix keeps
# this EAL's runtime directory apart from any other DPDK process.
write_config() {
    local prefix=$1
    {
        [ -f "$REPO/etc/vigil.yaml" ] && echo "include: $REPO/etc/vigil.yaml"
        cat <<EOF
outputs:
  - eve-log: {enabled: yes, filename: eve.json, types: [flow]}
stats: {enabled: no}
dpdk:
  eal-params:
    no-huge: true
    no-pci: true
    m: 1024
    file-prefix: $prefix
    vdev: ["net_pcap0,rx_pcap=$PCAP"]
  interfaces:
    - interface: net_pcap0
      threads: 1
EOF
    } >"$CONFIG"
}

flow_records() { grep -c '"event_type": *"flow"' "$1/eve.json" || true; }

# Sets OFFLINE_SECONDS, OFFLINE_RECORDS and PACKETS (from the run summary).
run_offline() {
    local out=$WORK/offline
    rm -rf "$out" && mkdir -p "$out"
    local start end
    start=$(date +%s%N)
    "$VIGIL" -c "$CONFIG" -r "$PCAP" -l "$out" --runmode single 2>"$WORK/offline.log" ||
        die "vigil -r failed: $(tail -3 "$WORK/offline.log")"
    end=$(date +%s%N)
    OFFLINE_SECONDS=$(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.6f", (b - a) / 1e9}')
    OFFLINE_RECORDS=$(flow_records "$out")
    PACKETS=$(awk '$1 == "packets" {print $2; exit}' "$WORK/offline.log")
    [[ $PACKETS =~ ^[1-9][0-9]*$ ]] || die "no packet count in the -r summary"
}

# Starts vigil --dpdk, polls the port's ipackets through the EAL telemetry
# socket every millisecond, sends SIGTERM once the whole file is received and
# prints: start-up (start to first packet), receive (first to last packet),
# drain (SIGTERM to exit) and wall seconds.
DPDK_TIMER='
import json, os, signal, socket, subprocess, sys, time
sock_path, packets, timeout, log = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
cmd = sys.argv[5:]
t0 = time.monotonic()
proc = subprocess.Popen(cmd, stdout=open(log, "w"), stderr=subprocess.STDOUT)

def fail(why):
    proc.kill()
    proc.wait()
    sys.exit("bench-dpdk: " + why + " (log: " + log + ")")

sock = None
while sock is None:
    if proc.poll() is not None:
        fail("vigil --dpdk exited with %d before capturing" % proc.returncode)
    if time.monotonic() - t0 > timeout:
        fail("no telemetry socket at " + sock_path)
    try:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        s.connect(sock_path)
        s.recv(1024)
        sock = s
    except OSError:
        time.sleep(0.001)

def ipackets():
    sock.send(b"/ethdev/stats,0")
    return json.loads(sock.recv(1 << 16))["/ethdev/stats"]["ipackets"]

first = last = None
while last is None:
    if proc.poll() is not None:
        fail("vigil --dpdk exited with %d while capturing" % proc.returncode)
    if time.monotonic() - t0 > timeout:
        fail("the port received fewer than %d packets in %.0f s" % (packets, timeout))
    try:
        got = ipackets()
    except (OSError, ValueError, KeyError):
        time.sleep(0.001)
        continue
    now = time.monotonic()
    if got > 0 and first is None:
        first = now
    if got >= packets:
        last = now
    else:
        time.sleep(0.001)
sock.close()
proc.send_signal(signal.SIGTERM)
rc = proc.wait()
end = time.monotonic()
if rc != 0:
    sys.exit("bench-dpdk: vigil --dpdk exited with %d (log: %s)" % (rc, log))
print("%.6f %.6f %.6f %.6f" % (first - t0, last - first, end - last, end - t0))
'

# Sets DPDK_WORK = DPDK_RECEIVE + DPDK_DRAIN (first packet to exit: receiving,
# processing and the final flow logging), DPDK_STARTUP, DPDK_WALL, DPDK_RECORDS.
run_dpdk() {
    local out=$WORK/dpdk
    rm -rf "$out" && mkdir -p "$out"
    local runtime_dir=/var/run/dpdk/$PREFIX
    [ "$(id -u)" = 0 ] || runtime_dir=${XDG_RUNTIME_DIR:-/tmp}/dpdk/$PREFIX
    local times
    times=$(python3 -c "$DPDK_TIMER" "$runtime_dir/dpdk_telemetry.v2" "$PACKETS" \
        "$RECEIVE_TIMEOUT_S" "$WORK/dpdk.log" \
        "$VIGIL" -c "$CONFIG" --dpdk --runmode workers -l "$out") || exit 1
    rm -rf "$runtime_dir"
    read -r DPDK_STARTUP DPDK_RECEIVE DPDK_DRAIN DPDK_WALL <<<"$times"
    DPDK_WORK=$(awk -v r="$DPDK_RECEIVE" -v d="$DPDK_DRAIN" 'BEGIN {printf "%.6f", r + d}')
    DPDK_RECORDS=$(flow_records "$out")
    grep -q 'packet time from the PMD' "$WORK/dpdk.log" ||
        echo "WARNING: the DPDK run did not use packet time: its flows may differ from -r"
}

min() { awk -v a="$1" -v b="$2" 'BEGIN {print (b == "" || a < b) ? a : b}'; }

main() {
    build
    pick_pcap
    WORK=$(mktemp -d)
    trap 'rm -rf "$WORK"' EXIT
    PREFIX=vigilbench$$
    CONFIG=$WORK/bench.yaml
    write_config "$PREFIX"
    cat "$PCAP" >/dev/null # both read from the page cache

    local best_off="" best_dpdk="" best_dpdk_wall="" best_startup="" records_ok=yes
    for round in $(seq 1 "$ROUNDS"); do
        run_offline
        run_dpdk
        echo "bench-dpdk: round $round: -r ${OFFLINE_SECONDS}s, --dpdk ${DPDK_WORK}s" \
            "(receive ${DPDK_RECEIVE}s + drain ${DPDK_DRAIN}s; start-up ${DPDK_STARTUP}s," \
            "wall ${DPDK_WALL}s)" >&2
        best_off=$(min "$OFFLINE_SECONDS" "$best_off")
        best_dpdk=$(min "$DPDK_WORK" "$best_dpdk")
        best_dpdk_wall=$(min "$DPDK_WALL" "$best_dpdk_wall")
        best_startup=$(min "$DPDK_STARTUP" "$best_startup")
        if [ "$DPDK_RECORDS" != "$OFFLINE_RECORDS" ]; then
            records_ok=no
            echo "WARNING: round $round: --dpdk logged $DPDK_RECORDS flow records, -r $OFFLINE_RECORDS"
        fi
    done

    awk -v p="$PACKETS" -v off="$best_off" -v dpdk="$best_dpdk" -v wall="$best_dpdk_wall" \
        -v startup="$best_startup" -v ok="$records_ok" -v pcap="$PCAP" -v rounds="$ROUNDS" 'BEGIN {
        printf "dpdk vs offline  %s (%d packets), best of %d, 1 thread each, EVE flow records\n", pcap, p, rounds
        printf "%-22s %14s %12s %10s\n", "", "packets/s", "ns/packet", "best s"
        printf "%-22s %14.0f %12.1f %10.3f\n", "-r single", p / off, 1e9 * off / p, off
        printf "%-22s %14.0f %12.1f %10.3f\n", "--dpdk workers (1)", p / dpdk, 1e9 * dpdk / p, dpdk
        printf "dpdk/offline     %.2f (packets/s ratio; target >= 1)\n", off / dpdk
        printf "dpdk start-up    %.3f s to the first packet (EAL, port); wall to exit %.3f s\n", startup, wall
        printf "flow records     %s\n", (ok == "yes" ? "--dpdk and -r logged as many" : "DIFFER between --dpdk and -r")
    }'
}

main "$@"
