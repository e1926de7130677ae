#!/usr/bin/env bash
# Offline throughput benchmark: Vigil (single, autofp with 1 and 2 flow workers)
# reading a generated 1M-packet capture against the bare libpcap read loop (the
# ceiling), best of 3, plus peak RSS; BENCH_FLOW_TABLE=1 adds the flow table bench,
# BENCH_DPDK=1 live DPDK capture (net_pcap) against -r (dpdk-vs-offline.sh).
set -euo pipefail

REPO=$(cd "$(dirname "$0")/../.." && pwd)
# qa/setup.sh builds in build/; an in-tree build leaves binaries in the repo root.
if [ -z "${BUILD_DIR:-}" ]; then
    BUILD_DIR=$REPO
    [ -f "$REPO/build/Makefile" ] && BUILD_DIR=$REPO/build
fi
FLOWS=${BENCH_FLOWS:-100000}
SEED=${BENCH_SEED:-1}
REPS=${BENCH_REPS:-3}
MIN_PACKETS=1000000
TARGET_PERCENT=35

DATA_DIR=$REPO/qa/bench/data
PCAP=$DATA_DIR/bench-f$FLOWS-s$SEED.pcap
REF=$DATA_DIR/bench-f$FLOWS-s$SEED.jsonl
RESULT=$REPO/qa/bench/last-run.txt
CONFIG=$REPO/etc/vigil.yaml

VIGIL=$BUILD_DIR/vigil
PCAPGEN=$BUILD_DIR/qa/tools/vigil-pcapgen
PCAP_LOOP=$BUILD_DIR/qa/bench/pcap-loop
FLOW_TABLE_BENCH=$BUILD_DIR/qa/bench/flow-table-bench
MEM_ACCESS_BENCH=$BUILD_DIR/qa/bench/mem-access-bench
CPU_CAPACITY=$BUILD_DIR/qa/bench/cpu-capacity
# Vigil is timed in each of these modes: "runmode", "runmode:flow-workers", or
# "runmode:flow-workers:pinned" (qa/bench/pinned.yaml: threads pinned to CPUs).
MODES=(single autofp:1 autofp:2)
PINNED_CONFIG=$REPO/qa/bench/pinned.yaml
[ "$(nproc)" -ge 2 ] && MODES+=(autofp:1:pinned)

die() { echo "bench: $*" >&2; exit 1; }

build() {
    if [ -f "$BUILD_DIR/Makefile" ]; then
        make -s -C "$BUILD_DIR" vigil qa/tools/vigil-pcapgen qa/bench/pcap-loop qa/bench/cpu-capacity >&2 ||
            die "build failed in $BUILD_DIR"
    fi
    for bin in "$VIGIL" "$PCAPGEN" "$PCAP_LOOP"; do
        [ -x "$bin" ] || die "$bin is missing: run qa/setup.sh first (or set BUILD_DIR)"
    done
}

# Prints one field of the reference's "pcap" summary line.
summary_field() {
    python3 -c 'import json,sys; s=json.loads(open(sys.argv[1]).readline()); print(eval("s" + sys.argv[2]))' "$REF" "$1"
}

generate() {
    mkdir -p "$DATA_DIR"
    if [ ! -s "$PCAP" ] || [ ! -s "$REF" ] || [ "$PCAPGEN" -nt "$PCAP" ]; then
        echo "bench: generating $PCAP ($FLOWS flows, seed $SEED)" >&2
        "$PCAPGEN" --flows "$FLOWS" --seed "$SEED" --out "$PCAP.tmp" --reference "$REF.tmp" >&2
        mv "$PCAP.tmp" "$PCAP"
        mv "$REF.tmp" "$REF"
    fi
    PACKETS=$(summary_field '["frames"]')
    REF_FLOWS=$(summary_field '["flows"]["suri"]')
    [ "$PACKETS" -ge "$MIN_PACKETS" ] || die "$PCAP has only $PACKETS packets (want >= $MIN_PACKETS)"
}

now_ns() { date +%s%N; }

# Sets BARE_SECONDS for one pass of the bare loop.
run_bare() {
    local out
    out=$("$PCAP_LOOP" "$PCAP") || die "pcap-loop failed"
    local seen
    seen=$(awk '{print $2}' <<<"$out")
    [ "$seen" = "$PACKETS" ] || die "pcap-loop read $seen packets, expected $PACKETS"
    BARE_SECONDS=$(awk '{print $6}' <<<"$out")
}

# Runs Vigil once in mode $1 (single, autofp:N); sets VIGIL_SECONDS,
# VIGIL_RSS_KB and VIGIL_FLOW_RECORDS.
run_vigil() {
    local mode=$1
    local outdir=$WORK/vigil-out
    rm -rf "$outdir"
    mkdir -p "$outdir"
    local cmd=("$VIGIL") workers=${mode#*:}
    if [[ $mode == *:pinned ]]; then
        cmd+=(-c "$PINNED_CONFIG")
        workers=${workers%:pinned}
    elif [ -f "$CONFIG" ]; then
        cmd+=(-c "$CONFIG")
    fi
    cmd+=(-r "$PCAP" -l "$outdir" --runmode "${mode%%:*}")
    [[ $mode == *:* ]] && cmd+=(--set "threading.flow-workers=$workers")
    local start end
    start=$(now_ns)
    if [ -x /usr/bin/time ]; then
        /usr/bin/time -v -o "$WORK/time.txt" "${cmd[@]}" >"$WORK/vigil.log" 2>&1 ||
            die "vigil failed: ${cmd[*]} (log: $(tail -5 "$WORK/vigil.log"))"
        end=$(now_ns)
        VIGIL_RSS_KB=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$WORK/time.txt")
    else
        VIGIL_RSS_KB=$(python3 -c '
import resource, subprocess, sys
with open(sys.argv[1], "w") as log:
    rc = subprocess.call(sys.argv[2:], stdout=log, stderr=log)
if rc:
    sys.exit(rc)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' "$WORK/vigil.log" "${cmd[@]}") ||
            die "vigil failed: ${cmd[*]} (log: $(tail -5 "$WORK/vigil.log"))"
        end=$(now_ns)
    fi
    VIGIL_SECONDS=$(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.6f", (b - a) / 1e9}')
    VIGIL_FLOW_RECORDS=0
    if [ -f "$outdir/eve.json" ]; then
        VIGIL_FLOW_RECORDS=$(grep -c '"event_type": *"flow"' "$outdir/eve.json" || true)
    fi
}

min() { awk -v a="$1" -v b="$2" 'BEGIN {print (b == "" || a < b) ? a : b}'; }
max() { awk -v a="$1" -v b="$2" 'BEGIN {print (b == "" || a > b) ? a : b}'; }

label_of() { [[ $1 == *:* ]] && echo "${1%%:*}(${1#*:})" | tr ':' ',' || echo "$1"; }

time_ratio() { awk -v a="$1" -v b="$2" 'BEGIN {print a / b}'; }

# Median of the numbers in $1 (space separated).
median() {
    tr ' ' '\n' <<<"$1" | grep . | sort -g |
        awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}

# Optional (BENCH_FLOW_TABLE=1): the flow table microbenchmark.
flow_table_section() {
    if [ -f "$BUILD_DIR/Makefile" ]; then
        make -s -C "$BUILD_DIR" qa/bench/flow-table-bench qa/bench/mem-access-bench >&2 ||
            die "build of flow-table-bench failed"
    fi
    [ -x "$FLOW_TABLE_BENCH" ] || die "$FLOW_TABLE_BENCH is missing"
    echo "flow table (qa/bench/flow-table-bench ${BENCH_FLOW_TABLE_SIZES:-10000 1000000 10000000})" | tee -a "$RESULT"
    # shellcheck disable=SC2086 # sizes are a word list
    "$FLOW_TABLE_BENCH" ${BENCH_FLOW_TABLE_SIZES:-} | tee -a "$RESULT"
    # The machine's own growth, to read the lookup costs against: random reads
    # at the default sizes' flow.memuse (2.4, 244 and 2441 MiB).
    if [ -x "$MEM_ACCESS_BENCH" ] && [ -z "${BENCH_FLOW_TABLE_SIZES:-}" ]; then
        echo "memory (qa/bench/mem-access-bench: random 64-byte reads, and the lookup's accesses alone, at those footprints)" | tee -a "$RESULT"
        "$MEM_ACCESS_BENCH" 2.4 244 2441 | tee -a "$RESULT"
    fi
    # perf exits 0 with "<not supported> cycles" in a guest without a PMU.
    if command -v perf >/dev/null && perf stat -e cycles true 2>&1 | grep -q '[0-9][0-9,]* *cycles'; then
        # shellcheck disable=SC2086
        perf stat -e cycles "$FLOW_TABLE_BENCH" ${BENCH_FLOW_TABLE_SIZES:-10000} 2>&1 >/dev/null |
            grep -E 'cycles|elapsed' | tee -a "$RESULT"
    else
        echo "perf stat -e cycles: not supported here (no perf, or no cycles event in this VM)" | tee -a "$RESULT"
    fi
}

main() {
    build
    generate
    # Vigil's output goes to memory where it can (tmpfs): writing 50 MB of EVE to a
    # disk per run adds writeback noise that is not Vigil's.
    local tmp_root=${BENCH_TMP:-/dev/shm}
    [ -d "$tmp_root" ] && [ -w "$tmp_root" ] || tmp_root=${TMPDIR:-/tmp}
    WORK=$(mktemp -d "$tmp_root/vigil-bench.XXXXXX")
    trap 'rm -rf "$WORK"' EXIT
    : >"$RESULT"
    cat "$PCAP" >/dev/null # every contender then reads from the page cache

    local best_bare="" peak_rss="" records_ok=yes mode
    declare -A best round
    local ratios1="" ratios_pinned="" capacities="" round_trips=""
    for rep in $(seq 1 "$REPS"); do
        run_bare
        best_bare=$(min "$BARE_SECONDS" "$best_bare")
        local line="bench: run $rep: pcap-loop ${BARE_SECONDS}s"
        for mode in "${MODES[@]}"; do
            run_vigil "$mode"
            line+=", $(label_of "$mode") ${VIGIL_SECONDS}s"
            best[$mode]=$(min "$VIGIL_SECONDS" "${best[$mode]:-}")
            round[$mode]=$VIGIL_SECONDS
            peak_rss=$(max "$VIGIL_RSS_KB" "$peak_rss")
            if [ "$VIGIL_FLOW_RECORDS" != "$REF_FLOWS" ]; then
                records_ok=no
                echo "WARNING: run $rep, $(label_of "$mode"): eve.json has $VIGIL_FLOW_RECORDS flow records," \
                    "the reference $REF_FLOWS flows" | tee -a "$RESULT"
            fi
        done
        # What the host gave the two CPUs autofp runs on, next to this round.
        if [ "$(nproc)" -ge 2 ] && [ -x "$CPU_CAPACITY" ]; then
            local pair capacity round_trip
            pair=$("$CPU_CAPACITY") || die "cpu-capacity failed"
            read -r capacity round_trip < <(awk '{print $1, $(NF - 1)}' <<<"$pair")
            capacities+="$capacity "
            round_trips+="$round_trip "
            line+=", CPUs 0+1 $capacity, line round trip $round_trip ns"
        fi
        echo "$line" >&2
        # The machine is shared: a ratio within one round compares like with like.
        ratios1+="$(time_ratio "${round[autofp:1]}" "${round[single]}") "
        if [ -n "${round[autofp:1:pinned]:-}" ]; then
            ratios_pinned+="$(time_ratio "${round[autofp:1:pinned]}" "${round[single]}") "
        fi
    done
    local median1 median_pinned
    median1=$(median "$ratios1")
    median_pinned=$(median "$ratios_pinned")

    local rows=""
    for mode in "${MODES[@]}"; do
        rows+="$(label_of "$mode") ${best[$mode]};"
    done
    awk -v p="$PACKETS" -v f="$REF_FLOWS" -v bare="$best_bare" -v rows="$rows" \
        -v rss="$peak_rss" -v target="$TARGET_PERCENT" -v ok="$records_ok" -v pcap="$PCAP" \
        -v median1="$median1" -v median_pinned="$median_pinned" '
    # The autofp(1) target: at most 0.77 of the time of single, best against best
    # and in the median round.
    function target_line(label, median, what,    r) {
        r = secs[label] / secs["single"]
        printf "%s/single  %.2f best / %.2f median of rounds (%s: %s)\n", label, r, median, what,
            (r <= 0.77 && median <= 0.77 ? "met" : "NOT met")
    }
    BEGIN {
        bare_pps = p / bare
        printf "capture       %s (%d packets, %d flows)\n", pcap, p, f
        printf "%-17s %14s %12s %10s\n", "", "packets/s", "ns/packet", "best s"
        printf "%-17s %14.0f %12.1f %10.3f\n", "pcap-loop", bare_pps, 1e9 / bare_pps, bare
        n = split(rows, row, ";")
        for (i = 1; i < n; i++) {
            split(row[i], field, " ")
            secs[field[1]] = field[2]
            printf "%-17s %14.0f %12.1f %10.3f\n", field[1], p / field[2], 1e9 * field[2] / p, field[2]
        }
        ratio = 100 * (p / secs["single"]) / bare_pps
        printf "vigil/bare    %.1f %% (single; target >= %d %%: %s)\n", ratio, target, (ratio >= target ? "met" : "NOT met")
        if ("autofp(1)" in secs)
            target_line("autofp(1)", median1, "time ratio; target <= 0.77, i.e. autofp(1) >= 1.3 x single packets/s")
        if ("autofp(1,pinned)" in secs)
            target_line("autofp(1,pinned)", median_pinned, "RX#01 on CPU 0, W#01 on CPU 1: qa/bench/pinned.yaml; same target")
        if ("autofp(2)" in secs)
            printf "autofp(2)/single  %.2f (time ratio)\n", secs["autofp(2)"] / secs["single"]
        printf "vigil peak RSS %.1f MiB (largest of all modes)\n", rss / 1024
        printf "flow records  %s\n", (ok == "yes" ? "match the reference count" : "DO NOT match the reference count")
    }' | tee -a "$RESULT"
    if [ -n "$capacities" ]; then
        echo "CPUs 0 and 1  $(median "$capacities") CPUs of work at once, a cache line from one to the other and back in $(median "$round_trips") ns (medians of rounds, qa/bench/cpu-capacity)" | tee -a "$RESULT"
    fi
    if [ "${BENCH_FLOW_TABLE:-0}" = 1 ]; then
        flow_table_section
    fi
    if [ "${BENCH_DPDK:-0}" = 1 ]; then
        BUILD_DIR=$BUILD_DIR BENCH_PCAP=$PCAP "$REPO/qa/bench/dpdk-vs-offline.sh" | tee -a "$RESULT"
    fi
}

main "$@"
