#!/bin/sh
# Runs one fuzz target (e.g. fuzz_decode) for SECONDS with its corpus in
# qa/fuzz/corpus-TARGET/; fuzz_decode's and fuzz_pcap_file's corpora are seeded
# from the shared pcaps.
set -eu
if [ $# -ne 2 ]; then
    echo "usage: $0 TARGET SECONDS" >&2
    exit 2
fi
target=$1
seconds=$2
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin="$root/build-fuzz/qa/fuzz/$target"
[ -x "$bin" ] || "$here/build.sh"
corpus="$here/corpus-$target"
mkdir -p "$corpus"
pcaps=/work/shared/pcaps
if [ "$target" = fuzz_decode ] && [ -z "$(ls -A "$corpus")" ] && [ -d "$pcaps" ]; then
    python3 "$here/seed_decode.py" "$pcaps" "$corpus"
fi
# fuzz_pcap_file: the first 4 KiB of each shared capture (pcap and pcapng).
if [ "$target" = fuzz_pcap_file ] && [ -z "$(ls -A "$corpus")" ] && [ -d "$pcaps" ]; then
    for f in "$pcaps"/*.pcap "$pcaps"/*.pcapng; do
        [ -f "$f" ] && head -c 4096 "$f" >"$corpus/$(basename "$f")"
    done
fi
exec "$bin" -max_total_time="$seconds" -print_final_stats=1 -max_len=4096 "$corpus"
