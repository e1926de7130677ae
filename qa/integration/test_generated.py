"""Vigil against the project's own generated captures: the EVE flow records of
`vigil -r` must equal vigil-pcapgen's reference exactly, and the reference
itself is checked against tshark's independent reading of the same pcap."""

import os
import shutil
import subprocess

import pytest

import reference
from conftest import CONFIG, PCAPGEN, VIGIL

# (name, generator options): small, VLAN/IPv6-heavy, sequential, and ~50k packets.
CAPTURES = {
    "small": ["--flows", "40", "--seed", "11"],
    "vlan-ipv6": ["--flows", "300", "--seed", "12", "--ipv6-percent", "50", "--vlan-percent", "50"],
    "ipv4-plain": ["--flows", "200", "--seed", "14", "--ipv6-percent", "0", "--vlan-percent", "0"],
    "one-at-a-time": ["--flows", "100", "--seed", "15", "--concurrency", "1"],
    "50k": ["--flows", "4500", "--seed", "13"],
}

needs_pcapgen = pytest.mark.skipif(not os.access(PCAPGEN, os.X_OK), reason=f"generator not built: {PCAPGEN}")
needs_vigil = pytest.mark.skipif(not os.access(VIGIL, os.X_OK), reason=f"vigil not built: {VIGIL}")
needs_tshark = pytest.mark.skipif(shutil.which("tshark") is None, reason="tshark not installed")


def generate(tmp_path, name, options):
    pcap = tmp_path / f"{name}.pcap"
    ref = tmp_path / f"{name}.jsonl"
    subprocess.run([str(PCAPGEN), *options, "--quiet", "--out", str(pcap), "--reference", str(ref)],
                   check=True, timeout=120)
    return pcap, reference.load_eve(ref)


def run_vigil(pcap, outdir, runmode=None):
    outdir.mkdir()
    command = [str(VIGIL), "-r", str(pcap), "-l", str(outdir)]
    if CONFIG.exists():
        command[1:1] = ["-c", str(CONFIG)]
    if runmode:
        command += ["--runmode", runmode]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"{' '.join(command)} exited {result.returncode}:\n{result.stderr[-3000:]}"
    eve = outdir / "eve.json"
    assert eve.exists(), f"{' '.join(command)} wrote no {eve}"
    return reference.load_eve(eve)


def summary_of(ref_records):
    return next(r for r in ref_records if r.get("type") == "pcap")


@needs_pcapgen
@needs_vigil
@pytest.mark.parametrize("name", list(CAPTURES))
def test_vigil_flows_equal_reference(tmp_path, name):
    pcap, ref = generate(tmp_path, name, CAPTURES[name])
    eve = run_vigil(pcap, tmp_path / "out")
    differences = reference.compare_flows(eve, ref)
    assert not differences, f"{name}: EVE flows differ from the reference:\n" + "\n".join(differences)
    assert len(reference.eve_flows(eve)) == summary_of(ref)["flows"]["suri"], \
        "every generated flow must be logged exactly once"


@needs_pcapgen
@needs_vigil
@pytest.mark.parametrize("runmode", ["single", "autofp"])
def test_vigil_flows_do_not_depend_on_runmode(tmp_path, runmode):
    pcap, ref = generate(tmp_path, "50k", CAPTURES["50k"])
    eve = run_vigil(pcap, tmp_path / "out", runmode)
    differences = reference.compare_flows(eve, ref)
    assert not differences, f"runmode {runmode}: EVE flows differ:\n" + "\n".join(differences)


TSHARK_FIELDS = [
    "frame.len", "vlan.id", "ip.src", "ip.dst", "ipv6.src", "ipv6.dst", "ip.proto", "ipv6.nxt",
    "tcp.srcport", "tcp.dstport", "udp.srcport", "udp.dstport", "tcp.flags",
    "ip.checksum.status", "tcp.checksum.status", "udp.checksum.status",
    "icmp.checksum.status", "icmpv6.checksum.status", "frame.time_epoch",
]
CHECKSUM_FIELDS = [f for f in TSHARK_FIELDS if f.endswith("checksum.status")]


def tshark_frames(pcap):
    """One dict per frame, as tshark dissects it, with checksum verification on."""
    command = ["tshark", "-r", str(pcap), "-n",
               "-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE",
               "-o", "udp.check_checksum:TRUE",
               "-T", "fields", "-E", "separator=/t", "-E", "occurrence=f"]
    for field in TSHARK_FIELDS:
        command += ["-e", field]
    out = subprocess.run(command, check=True, capture_output=True, text=True, timeout=300).stdout
    return [dict(zip(TSHARK_FIELDS, line.split("\t"))) for line in out.splitlines()]


def frame_as_flow_record(frame):
    """A one-packet EVE-shaped flow record seen from the frame's sender."""
    v6 = bool(frame["ipv6.src"])
    proto = int(frame["ipv6.nxt"] if v6 else frame["ip.proto"])
    l4 = "tcp" if proto == 6 else "udp" if proto == 17 else None
    record = {
        "event_type": "flow",
        "proto": proto,
        "src_ip": frame["ipv6.src" if v6 else "ip.src"],
        "dest_ip": frame["ipv6.dst" if v6 else "ip.dst"],
        "src_port": int(frame[f"{l4}.srcport"]) if l4 else 0,
        "dest_port": int(frame[f"{l4}.dstport"]) if l4 else 0,
        "flow": {"pkts_toserver": 1, "pkts_toclient": 0,
                 "bytes_toserver": int(frame["frame.len"]), "bytes_toclient": 0},
    }
    if proto == 6:
        record["tcp"] = {"tcp_flags_ts": f"{int(frame['tcp.flags'], 16):02x}", "tcp_flags_tc": "00"}
    return record


@needs_pcapgen
@needs_tshark
@pytest.mark.parametrize("name", ["small", "vlan-ipv6", "50k"])
def test_reference_matches_tshark(tmp_path, name):
    pcap, ref = generate(tmp_path, name, CAPTURES[name])
    frames = tshark_frames(pcap)
    assert len(frames) == summary_of(ref)["frames"]

    bad = [i + 1 for i, f in enumerate(frames) if any(f[c] not in ("", "1") for c in CHECKSUM_FIELDS)]
    assert not bad, f"frames with a bad checksum (tshark): {bad[:20]}"
    times = [float(f["frame.time_epoch"]) for f in frames]
    assert all(a < b for a, b in zip(times, times[1:])), "timestamps must increase"

    differences = reference.compare_flows([frame_as_flow_record(f) for f in frames], ref)
    assert not differences, "tshark disagrees with the reference:\n" + "\n".join(differences)

    vlan_of = {}
    for frame in frames:
        vlan_of.setdefault(reference.flow_key(frame_as_flow_record(frame)), set()).add(frame["vlan.id"])
    for flow in reference.reference_flows(ref):
        expected = {str(flow["vlan"][0])} if "vlan" in flow else {""}
        assert vlan_of[reference.flow_key(flow)] == expected, f"VLAN of {reference.describe_key(reference.flow_key(flow))}"


@needs_pcapgen
def test_reference_flows_are_unique_and_short(tmp_path):
    _, ref = generate(tmp_path, "50k", CAPTURES["50k"])
    flows = reference.reference_flows(ref)
    assert len({reference.flow_key(f) for f in flows}) == len(flows) == 4500
    assert summary_of(ref)["frames"] >= 45000
    durations = [float(f["end_epoch"]) - float(f["start_epoch"]) for f in flows]
    assert max(durations) < 10, "a flow must fit well inside the default flow timeouts"
    protos = {f["proto"] for f in flows}
    assert protos == {1, 6, 17, 58}
    assert any("vlan" in f for f in flows) and any(":" in f["src_ip"] for f in flows)
    assert any(f.get("tcp_flags_ts") == "1b" for f in flows), "TCP flows with handshake, data and FIN"
    assert any("rst" in f["tags"] for f in flows)
    starts = sorted(float(f["start_epoch"]) for f in flows)
    ends = sorted(float(f["end_epoch"]) for f in flows)
    open_at_median_start = sum(1 for e in ends if e > starts[len(starts) // 2]) - len(starts) // 2
    assert open_at_median_start > 100, "flows must interleave"


@needs_pcapgen
def test_generator_is_deterministic(tmp_path):
    runs = {}
    for run, seed in (("a", "5"), ("b", "5"), ("c", "6")):
        (tmp_path / run).mkdir()
        runs[run] = generate(tmp_path / run, "x", ["--flows", "300", "--seed", seed])
    (pcap_a, ref_a), (pcap_b, ref_b), (pcap_c, _) = runs["a"], runs["b"], runs["c"]
    assert pcap_a.read_bytes() == pcap_b.read_bytes() and ref_a == ref_b
    assert pcap_a.read_bytes() != pcap_c.read_bytes()


@needs_pcapgen
def test_demo_preset(tmp_path):
    pcap = tmp_path / "demo.pcap"
    ref = tmp_path / "demo.jsonl"
    subprocess.run([str(PCAPGEN), "--demo", "--quiet", "--out", str(pcap), "--reference", str(ref)],
                   check=True, timeout=60)
    summary = summary_of(reference.load_eve(ref))
    assert summary["flows"]["suri"] == 200
    assert 1500 <= summary["frames"] <= 3000


@pytest.mark.parametrize("bad", [["--flows", "x"], ["--mix", "weird"], ["--ipv6-percent", "101"], []])
@needs_pcapgen
def test_generator_rejects_bad_options(tmp_path, bad):
    out = [] if not bad else ["--out", str(tmp_path / "x.pcap")]
    result = subprocess.run([str(PCAPGEN), *bad, *out], capture_output=True, text=True, timeout=60)
    assert result.returncode != 0 and "vigil-pcapgen" in result.stderr + result.stdout


# reference.py itself: the comparison must see what it is meant to catch.

def _eve(src, dst, sp, dp, counts, proto="TCP", flags=None):
    record = {"event_type": "flow", "proto": proto, "src_ip": src, "dest_ip": dst,
              "flow": dict(zip(reference.COUNTERS, counts))}
    if sp is not None:
        record.update(src_port=sp, dest_port=dp)
    if flags:
        record["tcp"] = {"tcp_flags_ts": flags[0], "tcp_flags_tc": flags[1]}
    return record


REF_TCP = {"type": "flow", "proto": 6, "src_ip": "10.0.0.1", "src_port": 40000, "dest_ip": "172.16.0.1",
           "dest_port": 80, "pkts_toserver": 5, "pkts_toclient": 4, "bytes_toserver": 500,
           "bytes_toclient": 900, "tcp_flags_ts": "1b", "tcp_flags_tc": "1b"}
REF_ICMP6 = {"type": "flow", "proto": 58, "src_ip": "2001:db8:c::1", "src_port": 0,
             "dest_ip": "2001:db8:5::1", "dest_port": 0, "pkts_toserver": 2, "pkts_toclient": 2,
             "bytes_toserver": 236, "bytes_toclient": 236}


def test_compare_accepts_split_and_reversed_records():
    eve = [
        _eve("10.0.0.1", "172.16.0.1", 40000, 80, (3, 2, 300, 400), flags=("1a", "12")),
        _eve("172.16.0.1", "10.0.0.1", 80, 40000, (2, 2, 500, 200), flags=("19", "01")),
        _eve("2001:0db8:000c::1", "2001:db8:5::1", None, None, (2, 2, 236, 236), proto="IPv6-ICMP"),
        {"event_type": "stats"},
    ]
    assert reference.compare_flows(eve, [{"type": "pcap"}, REF_TCP, REF_ICMP6]) == []


def test_compare_reports_every_kind_of_difference():
    eve = [
        _eve("172.16.0.1", "10.0.0.1", 80, 40000, (4, 5, 900, 500), flags=("1b", "1a")),
        _eve("10.9.9.9", "172.16.0.1", 1, 2, (1, 0, 60, 0), proto="UDP"),
    ]
    differences = reference.compare_flows(eve, [REF_TCP, REF_ICMP6])
    text = "\n".join(differences)
    assert "proto 58" in text and "missing from EVE" in text
    assert "10.9.9.9:1" in text and "not in the reference" in text
    assert "tcp_flags_ts 1a, expected 1b" in text
    assert len(differences) == 3
    assert reference.compare_flows(eve[:1], [REF_TCP], check_tcp_flags=False) == []


def test_flow_key_names_and_missing_ports():
    assert reference.flow_key({"proto": "ICMP", "src_ip": "1.2.3.4", "dest_ip": "5.6.7.8"}) == \
        (1, frozenset({("1.2.3.4", 0), ("5.6.7.8", 0)}))
    assert reference.flow_key({"proto": "SCTP", "src_ip": "::1", "dest_ip": "::2", "src_port": 1,
                               "dest_port": 2})[0] == 132
    with pytest.raises(ValueError):
        reference.proto_number("NOPE")
