#!/usr/bin/env bash
# Vigil in one command: installs what is missing, builds, generates a small
# capture with the project's own generator, replays it offline and shows
# where the EVE output is.
set -euo pipefail
cd "$(dirname "$0")/.."
./qa/setup.sh
build=${BUILD_DIR:-build}
out=out/demo
mkdir -p "$out"
rm -f "$out/eve.json"
"$build/qa/tools/vigil-pcapgen" --demo --quiet --out "$out/demo.pcap" --reference "$out/demo-flows.jsonl"
echo
echo "Replaying $out/demo.pcap:"
echo "  $build/vigil -c etc/vigil.yaml -r $out/demo.pcap -l $out"
"$build/vigil" -c etc/vigil.yaml -r "$out/demo.pcap" -l "$out"
echo
echo "First flow record of $out/eve.json:"
head -n 1 "$out/eve.json"
echo
echo "EVE output: $(pwd)/$out/eve.json ($(grep -c '"event_type":"flow"' "$out/eve.json") flow records)"
