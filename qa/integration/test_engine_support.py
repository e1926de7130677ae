"""Helpers of the threaded-engine tests (issue 3): where vigil and the
generator are, generating scenario captures, running vigil in a runmode with
--set overrides, and comparing flow records one by one (split flows included)."""

import collections
import datetime
import functools
import json
import os
import subprocess
import time

import pytest

import reference
from conftest import CONFIG, PCAPGEN, PCAPS, VIGIL

needs_vigil = pytest.mark.skipif(not os.access(VIGIL, os.X_OK), reason=f"vigil not built: {VIGIL}")
needs_pcapgen = pytest.mark.skipif(not os.access(PCAPGEN, os.X_OK), reason=f"generator not built: {PCAPGEN}")

# (runmode, flow workers): every way the engine must give the same flows.
ENGINE_MODES = [("single", None), ("autofp", 1), ("autofp", 2), ("autofp", 3), ("autofp", 8)]
# Sanitizer builds run 3-15 times slower: there the threaded engine is
# exercised with a few threads, the full matrix runs on the plain build.
if os.environ.get("VIGIL_SANITIZER"):
    ENGINE_MODES = [("single", None), ("autofp", 3)]

# Suricata's shipped emergency-* flow timeouts (etc/vigil.yaml), to make the
# normal timeouts equal them for the --timeout-probe=emergency reference.
EMERGENCY_AS_NORMAL = [
    "flow-timeouts.tcp.new=5", "flow-timeouts.tcp.established=100", "flow-timeouts.tcp.closed=10",
    "flow-timeouts.udp.new=10", "flow-timeouts.udp.established=100",
    "flow-timeouts.icmp.new=10", "flow-timeouts.icmp.established=100",
]


def shared_pcaps():
    return sorted(PCAPS.glob("*.pcap")) + sorted(PCAPS.glob("*.pcapng"))


def generate(directory, name, options, timeout=120):
    """Writes directory/name.pcap and its reference; returns (pcap, reference records)."""
    pcap = directory / f"{name}.pcap"
    ref = directory / f"{name}.jsonl"
    if not pcap.exists() or not ref.exists():
        subprocess.run([str(PCAPGEN), *options, "--quiet", "--out", str(pcap), "--reference", str(ref)],
                       check=True, timeout=timeout)
    return pcap, reference.load_eve(ref)


class Run:
    """A finished vigil run. Its EVE records are read when first asked for;
    iter_records and iter_flows read them without holding them all, for runs
    too big to keep as dicts."""

    def __init__(self, command, result, eve, seconds):
        self.command = command
        self.returncode = result.returncode
        self.stderr = result.stderr
        self.eve = eve
        self.seconds = seconds
        self._stats = None

    @functools.cached_property
    def records(self):
        return list(self.iter_records())

    def iter_records(self):
        if "records" in self.__dict__:
            return iter(self.records)
        return reference.iter_eve(self.eve) if self.eve.exists() else iter(())

    def iter_flows(self):
        return (r for r in self.iter_records() if r.get("event_type") == "flow")

    def flows(self):
        return reference.eve_flows(self.records)

    def stats(self):
        if self._stats is None:
            self._stats = [r for r in self.iter_records() if r.get("event_type") == "stats"]
        return self._stats

    def describe(self):
        return f"{' '.join(map(str, self.command))} exited {self.returncode}:\n{self.stderr[-3000:]}"


def run_vigil(pcap, outdir, runmode="single", workers=None, sets=(), timeout=300):
    """vigil -c etc/vigil.yaml -r pcap -l outdir --runmode M [--set threading.flow-workers=W] [--set ...]."""
    outdir.mkdir(parents=True)
    command = [str(VIGIL), "-c", str(CONFIG), "-r", str(pcap), "-l", str(outdir), "--runmode", runmode]
    if workers is not None:
        command += ["--set", f"threading.flow-workers={workers}"]
    for item in sets:
        command += ["--set", item]
    start = time.monotonic()
    result = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    seconds = time.monotonic() - start
    return Run(command, result, outdir / "eve.json", seconds)


def mode_name(runmode, workers):
    return runmode if workers is None else f"{runmode}-w{workers}"


def flow_signature(record):
    """The record without the fields that may differ between runs (flow_id, timestamp)."""
    rest = {k: v for k, v in record.items() if k not in ("flow_id", "timestamp")}
    return json.dumps(rest, sort_keys=True)


def flow_multiset(records):
    return collections.Counter(flow_signature(r) for r in reference.eve_flows(records))


def describe_multiset_difference(got, want, limit=10):
    lines = []
    for sig, n in (got - want).items():
        lines.append(f"  extra x{n}: {sig}")
    for sig, n in (want - got).items():
        lines.append(f"  missing x{n}: {sig}")
    more = len(lines) - limit
    return "\n".join(lines[:limit] + ([f"  ... and {more} more"] if more > 0 else []))


def eve_time_us(text):
    """EVE "2023-11-14T22:13:20.000073+0000" -> microseconds since the epoch."""
    stamp = datetime.datetime.fromisoformat(text)
    return int(stamp.timestamp()) * 1000000 + stamp.microsecond


def _endpoint(record, role):
    return reference._normal_ip(record[f"{role}_ip"]), int(record.get(f"{role}_port") or 0)


def segment(record):
    """One flow record as (src endpoint, 4 counters, start us, end us), EVE or reference."""
    counts = record["flow"] if isinstance(record.get("flow"), dict) else record
    times = (eve_time_us(counts["start"]), eve_time_us(counts["end"]))
    return (_endpoint(record, "src"),
            tuple(int(counts[name]) for name in reference.COUNTERS)) + times


def segments_by_key(records, keys=None):
    """{flow key: its records' segments, sorted}, for the given keys only if any."""
    found = collections.defaultdict(list)
    for record in records:
        key = reference.flow_key(record)
        if keys is None or key in keys:
            found[key].append(segment(record))
    return {key: sorted(value) for key, value in found.items()}


def compare_segments(eve_records, reference_records, keys=None, limit=40):
    """Record-by-record differences: for each flow key (all of the reference's,
    or those given), the engine must log exactly the reference's records:
    same sender first, same counters, same first and last packet times.
    eve_records may be an iterator (Run.iter_records)."""
    want = segments_by_key(reference.reference_flows(reference_records), keys)
    got = segments_by_key((r for r in eve_records if r.get("event_type") == "flow"), keys)
    differences = []
    for key in sorted(want if keys is None else keys, key=reference.describe_key):
        if got.get(key, []) != want.get(key, []):
            differences.append(f"{reference.describe_key(key)}:\n    logged   {got.get(key, [])}\n"
                               f"    expected {want.get(key, [])}")
    if len(differences) > limit:
        differences = differences[:limit] + [f"... and {len(differences) - limit} more"]
    return differences


def final_stats(run):
    stats = run.stats()
    assert stats, f"no EVE stats record: {run.describe()}"
    return stats[-1]["stats"]


def parse_size(text):
    """flow.memcap syntax: 4mb, 128mb, 1gb, 65536 (bytes)."""
    text = str(text).strip().lower()
    for suffix, factor in (("kb", 1024), ("mb", 1024 ** 2), ("gb", 1024 ** 3), ("b", 1)):
        if text.endswith(suffix):
            return int(text[: -len(suffix)]) * factor
    return int(text)


def assert_memuse_within(run, memcap_bytes):
    for number, record in enumerate(run.stats(), 1):
        flow = record["stats"]["flow"]
        assert flow["memuse"] <= memcap_bytes, \
            f"stats record {number}: flow.memuse {flow['memuse']} > flow.memcap {memcap_bytes} bytes"


def assert_flow_ids_unique(run):
    ids = collections.Counter(r["flow_id"] for r in run.iter_flows())
    twice = {i: n for i, n in ids.items() if n > 1}
    assert not twice, f"flow_id logged more than once: {list(twice.items())[:10]}"
