#!/usr/bin/env bash
# Live DPDK capture against offline replay of the same pcap, one packet thread
# each, EVE flow records: `vigil -r` (single) against `vigil --dpdk` (workers,
# 1 thread) on a net_pcap vdev reading the file, and on net_pcap replaying it
# from memory (infinite_rx=1); each next to its bare reader (pcap-loop,
# dpdk-rx-loop) so the PMD's own cost shows apart from Vigil's; and on a
# net_ring port whose ring holds the whole file in mbufs before the run
# (qa/bench/dpdk-ring-replay: what a NIC's DMA leaves, no PMD copy);
# alternating rounds, best of each.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/../.." && pwd)
if [ -z "${BUILD_DIR:-}" ]; then
    BUILD_DIR=$REPO
    [ -f "$REPO/build/Makefile" ] && BUILD_DIR=$REPO/build
fi
VIGIL=$BUILD_DIR/vigil
PCAPGEN=$BUILD_DIR/qa/tools/vigil-pcapgen
PCAP_LOOP=$BUILD_DIR/qa/bench/pcap-loop
RX_LOOP=$BUILD_DIR/qa/bench/dpdk-rx-loop
RING_REPLAY=$BUILD_DIR/qa/bench/dpdk-ring-replay
TIMER=$REPO/qa/bench/dpdk-timer.py
DATA_DIR=$REPO/qa/bench/data
# run.sh's capture; without it a smaller one is generated once.
PCAP=${BENCH_PCAP:-$DATA_DIR/bench-f${BENCH_FLOWS:-100000}-s${BENCH_SEED:-1}.pcap}
SMALL_FLOWS=20000
ROUNDS=${BENCH_DPDK_ROUNDS:-5}
# auto: the from-memory runs when the machine has the memory they need.
MEMORY_RUN=${BENCH_DPDK_MEMORY:-auto}
POLL_MS=${BENCH_DPDK_POLL_MS:-1}
# How long a run may take (start-up included) before it counts as hung.
TIMEOUT_S=300
# Vigil's auto mempool for one queue of 1024 descriptors in workers.
FILE_MEMPOOL=4095
FILE_EAL_MB=1024
# Hugepages (a mounted hugetlbfs with free pages) instead of no-huge.
HUGE_DIR=${BENCH_DPDK_HUGE_DIR:-}
# An mbuf with a 2 KiB data room takes 2368 bytes; with no-huge the EAL's pages
# are 4 KiB and DPDK puts one mbuf in each, so a pool costs a page per mbuf.
MBUF_BYTES=4096
[ -z "$HUGE_DIR" ] || MBUF_BYTES=2432
EAL_BASE_MB=512

die() { echo "bench-dpdk: $*" >&2; exit 1; }

build() {
    if [ -f "$BUILD_DIR/Makefile" ]; then
        make -s -C "$BUILD_DIR" vigil qa/tools/vigil-pcapgen qa/bench/pcap-loop >&2 ||
            die "build failed in $BUILD_DIR"
    fi
    [ -x "$VIGIL" ] || die "$VIGIL is missing: run qa/setup.sh first (or set BUILD_DIR)"
    if ! "$VIGIL" --build-info | grep -qw dpdk; then
        echo "bench-dpdk: skipped: $VIGIL is built without DPDK (install libdpdk-dev, reconfigure)"
        exit 0
    fi
    if [ -f "$BUILD_DIR/Makefile" ]; then
        make -s -C "$BUILD_DIR" qa/bench/dpdk-rx-loop qa/bench/dpdk-ring-replay >&2 ||
            die "build failed in $BUILD_DIR"
    fi
    for bin in "$PCAP_LOOP" "$RX_LOOP" "$RING_REPLAY"; do
        [ -x "$bin" ] || die "$bin is missing: build it in $BUILD_DIR"
    done
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

# What each DPDK variant gives net_pcap and the EAL.
declare -A VDEV_ARGS=([file]="" [memory]=",infinite_rx=1")
declare -A EAL_MB=([file]=$FILE_EAL_MB)
declare -A MEMPOOL=([file]=$FILE_MEMPOOL)

# One configuration per DPDK variant, the same engine settings for all runs:
# etc/vigil.yaml, EVE flow records only, no stats and no control socket (on,
# it keeps the bucket locks that a single packet thread on packet time skips,
# and -r does not open it). The file prefix keeps each EAL's runtime directory
# apart from any other DPDK process.
write_config() {
    local variant=$1
    local vdev="    vdev: [\"net_pcap0,rx_pcap=$PCAP${VDEV_ARGS[$variant]:-}\"]" iface=net_pcap0
    # dpdk-ring-replay makes its port itself.
    [ "$variant" != ring ] || { vdev=""; iface=net_ring_replay; }
    {
        [ -f "$REPO/etc/vigil.yaml" ] && echo "include: $REPO/etc/vigil.yaml"
        cat <<EOF
outputs:
  - eve-log: {enabled: yes, filename: eve.json, types: [flow]}
stats: {enabled: no}
unix-command: {enabled: no}
dpdk:
  eal-params:
$(eal_memory_yaml)
    no-pci: true
    m: ${EAL_MB[$variant]}
    file-prefix: $PREFIX
$vdev
  interfaces:
    - interface: $iface
      threads: 1
      mempool-size: ${MEMPOOL[$variant]}
EOF
    } >"$WORK/$variant.yaml"
}

eal_memory_yaml() {
    if [ -n "$HUGE_DIR" ]; then
        printf '    huge-dir: %s\n    huge-unlink: true\n' "$HUGE_DIR"
    else
        printf '    no-huge: true\n'
    fi
}

eal_memory_args() {
    if [ -n "$HUGE_DIR" ]; then
        echo "--huge-dir $HUGE_DIR --huge-unlink"
    else
        echo "--no-huge"
    fi
}

flow_records() { grep -c '"event_type": *"flow"' "$1/eve.json" || true; }

# infinite_rx loads the whole file into mbufs of the port's pool before the
# port starts: the pool holds every packet plus the RX ring and a burst.
plan_variants() {
    VARIANTS=(file)
    MEMPOOL[memory]=$((PACKETS + 4096))
    EAL_MB[memory]=$((MEMPOOL[memory] * MBUF_BYTES / 1048576 + EAL_BASE_MB))
    # The ring's own pool holds the file; Vigil's port pool stays the file run's.
    MEMPOOL[ring]=$FILE_MEMPOOL
    EAL_MB[ring]=${EAL_MB[memory]}
    # Ordinary memory keeps 1 GB for everything else on the machine.
    local avail_mb spare_mb=1024
    if [ -n "$HUGE_DIR" ]; then
        spare_mb=0
        avail_mb=$(awk '$1 == "HugePages_Free:" {n = $2} $1 == "Hugepagesize:" {kb = $2}
            END {print int(n * kb / 1024)}' /proc/meminfo)
    else
        avail_mb=$(awk '$1 == "MemAvailable:" {print int($2 / 1024)}' /proc/meminfo)
    fi
    case $MEMORY_RUN in
    0 | no) ;;
    1 | yes) VARIANTS+=(memory ring) ;;
    *)
        if [ "$avail_mb" -ge $((EAL_MB[memory] + spare_mb)) ]; then
            VARIANTS+=(memory ring)
        else
            echo "bench-dpdk: skipping the from-memory runs: they need about" \
                "${EAL_MB[memory]} MB, $avail_mb MB are available (BENCH_DPDK_MEMORY=1 forces them)" >&2
        fi
        ;;
    esac
    for v in "${VARIANTS[@]}"; do
        write_config "$v"
    done
}

# Sets OFFLINE_SECONDS, OFFLINE_RECORDS and PACKETS (from the run summary).
run_offline() {
    local out=$WORK/offline
    rm -rf "$out" && mkdir -p "$out"
    OFFLINE_SECONDS=$(python3 "$TIMER" offline "$WORK/offline.log" -- \
        "$VIGIL" -v -c "$WORK/file.yaml" -r "$PCAP" -l "$out" --runmode single) || exit 1
    OFFLINE_RECORDS=$(flow_records "$out")
    PACKETS=$(awk '$1 == "packets" {print $2; exit}' "$WORK/offline.log")
    [[ $PACKETS =~ ^[1-9][0-9]*$ ]] || die "no packet count in the -r summary"
}

# run_dpdk VARIANT: sets STARTUP, RECEIVE, DRAIN, WORK_S (receive + drain)
# and RECORDS.
run_dpdk() {
    local out=$WORK/$1
    rm -rf "$out" && mkdir -p "$out"
    local times
    local cmd=("$VIGIL" -v -c "$WORK/$1.yaml" --dpdk --runmode workers -l "$out")
    [ "$1" != ring ] || cmd=("$RING_REPLAY" "$WORK/$1.yaml" "$out" "$PCAP")
    times=$(python3 "$TIMER" dpdk "$WORK/$1.log" "$RUNTIME_DIR/dpdk_telemetry.v2" "$PACKETS" \
        "$TIMEOUT_S" "$POLL_MS" -- "${cmd[@]}") || exit 1
    rm -rf "$RUNTIME_DIR"
    read -r STARTUP RECEIVE DRAIN <<<"$times"
    WORK_S=$(awk -v r="$RECEIVE" -v d="$DRAIN" 'BEGIN {printf "%.6f", r + d}')
    RECORDS=$(flow_records "$out")
}

# The bare readers print "... seconds S ..."; sets BARE_SECONDS.
bare_seconds() {
    BARE_SECONDS=$(awk '{for (i = 1; i < NF; i++) if ($i == "seconds") print $(i + 1)}' "$1")
    [ -n "$BARE_SECONDS" ] || die "no time from the bare reader (log: $1)"
}

run_pcap_loop() {
    "$PCAP_LOOP" "$PCAP" >"$WORK/pcap-loop.log" 2>&1 || die "pcap-loop failed: $(tail -2 "$WORK/pcap-loop.log")"
    bare_seconds "$WORK/pcap-loop.log"
}

run_rx_loop() {
    local log=$WORK/rx-loop-$1.log
    # shellcheck disable=SC2046
    "$RX_LOOP" "$PACKETS" "${MEMPOOL[$1]}" $(eal_memory_args) --no-pci -m "${EAL_MB[$1]}" \
        --file-prefix "$PREFIX" --log-level=warning \
        --vdev "net_pcap0,rx_pcap=$PCAP${VDEV_ARGS[$1]}" >"$log" 2>&1 ||
        die "dpdk-rx-loop failed: $(tail -2 "$log")"
    rm -rf "$RUNTIME_DIR"
    bare_seconds "$log"
}

min() { awk -v a="$1" -v b="$2" 'BEGIN {print (b == "" || a < b) ? a : b}'; }

# best NAME SECONDS [DETAIL]: keeps the fastest round of each run.
declare -A BEST BEST_DETAIL RECORDS_OF RATIOS
best() {
    if [ -z "${BEST[$1]:-}" ] || [ "$(min "$2" "${BEST[$1]}")" = "$2" ]; then
        BEST[$1]=$2
        BEST_DETAIL[$1]=${3:-}
    fi
}

round() {
    run_pcap_loop
    best pcap-loop "$BARE_SECONDS"
    run_offline
    best offline "$OFFLINE_SECONDS"
    local line="bench-dpdk: round $1: pcap-loop ${BARE_SECONDS}s, -r ${OFFLINE_SECONDS}s"
    for v in "${VARIANTS[@]}"; do
        if [ "$v" != ring ]; then
            run_rx_loop "$v"
            best "rx-loop-$v" "$BARE_SECONDS"
        fi
        run_dpdk "$v"
        best "$v" "$WORK_S" "receive ${RECEIVE}s + drain ${DRAIN}s, start-up ${STARTUP}s"
        RATIOS[$v]+=" $(awk -v a="$OFFLINE_SECONDS" -v b="$WORK_S" 'BEGIN {printf "%.4f", a / b}')"
        RECORDS_OF[$v]=$RECORDS
        line+="; $v:"
        [ "$v" = ring ] || line+=" rx-loop ${BARE_SECONDS}s,"
        line+=" --dpdk ${WORK_S}s (receive ${RECEIVE}s"
        line+=" + drain ${DRAIN}s; start-up ${STARTUP}s)"
    done
    echo "$line" >&2
    [ "${RECORDS_OF[file]}" = "$OFFLINE_RECORDS" ] ||
        echo "WARNING: round $1: --dpdk (file) logged ${RECORDS_OF[file]} flow records, -r $OFFLINE_RECORDS"
}

median() { tr ' ' '\n' <<<"$1" | grep . | sort -g | awk '{v[NR] = $1}
    END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

# row LABEL SECONDS [OFFLINE_SECONDS [ROUND_RATIOS]]
row() {
    local med=""
    [ -z "${4:-}" ] || med=$(median "$4")
    awk -v l="$1" -v p="$PACKETS" -v s="$2" -v off="${3:-}" -v med="$med" 'BEGIN {
        printf "%-34s %11.0f %10.1f %8.3f", l, p / s, 1e9 * s / p, s
        if (off != "") printf " %7.2f", off / s
        if (med != "") printf " %9.2f", med
        printf "\n" }'
}

report() {
    printf 'dpdk vs offline  %s (%d packets), best of %d alternating rounds, 1 packet thread each\n' \
        "$PCAP" "$PACKETS" "$ROUNDS"
    echo "EAL memory: ${HUGE_DIR:-no-huge (4 KiB pages)}"
    printf '%-34s %11s %10s %8s %7s %9s\n' "" "packets/s" "ns/packet" "best s" "vs -r" "median"
    row "-r single" "${BEST[offline]}" "${BEST[offline]}"
    local v label
    for v in "${VARIANTS[@]}"; do
        case $v in
        file) label="net_pcap from file" ;;
        memory) label="net_pcap from memory" ;;
        ring) label="net_ring, mbufs filled before" ;;
        esac
        row "--dpdk workers, $label" "${BEST[$v]}" "${BEST[offline]}" "${RATIOS[$v]}"
    done
    echo "readers alone (no Vigil; inside a run they cost more, sharing the caches with it):"
    row "pcap-loop (libpcap, for -r)" "${BEST[pcap-loop]}"
    for v in "${VARIANTS[@]}"; do
        [ "$v" != ring ] || continue
        label="file"
        [ "$v" = file ] || label="memory"
        row "dpdk-rx-loop ($label)" "${BEST[rx-loop-$v]}"
    done
    echo "vs -r: the packets/s ratio of the best rounds; median: of the ratios within each round."
    echo "The issue's target is >= 1 per core. From memory runs on"
    echo "the clock (net_pcap stamps nothing when it loops), so its table keeps the bucket locks."
    echo "from file:   ${BEST_DETAIL[file]}; flow records ${RECORDS_OF[file]} (-r $OFFLINE_RECORDS)"
    [ -z "${RECORDS_OF[memory]:-}" ] ||
        echo "from memory: ${BEST_DETAIL[memory]}; flow records ${RECORDS_OF[memory]}" \
            "(the port loops on until SIGTERM: a few more than -r are normal)"
    [ -z "${RECORDS_OF[ring]:-}" ] ||
        echo "net_ring:    ${BEST_DETAIL[ring]}; flow records ${RECORDS_OF[ring]} (-r $OFFLINE_RECORDS;" \
            "on the clock, bucket locks on; the ring is filled before the runmode starts)"
}

main() {
    build
    pick_pcap
    WORK=$(mktemp -d)
    trap 'if [ $? = 0 ]; then rm -rf "$WORK"; else echo "bench-dpdk: logs in $WORK" >&2; fi' EXIT
    PREFIX=vigilbench$$
    RUNTIME_DIR=/var/run/dpdk/$PREFIX
    [ "$(id -u)" = 0 ] || RUNTIME_DIR=${XDG_RUNTIME_DIR:-/tmp}/dpdk/$PREFIX
    write_config file
    cat "$PCAP" >/dev/null # every run reads it from the page cache
    run_offline
    plan_variants
    for r in $(seq 1 "$ROUNDS"); do
        round "$r"
    done
    report
}

main "$@"
