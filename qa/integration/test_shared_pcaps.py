"""Vigil on every real capture in ../shared/pcaps: each EVE record validates
against Suricata's schema, and the flows equal the independent reference in
../shared/pcaps/expected (model `suri`) as its class demands."""

import pytest

import reference
from conftest import PCAPS, assert_valid_eve

ALL_PCAPS = sorted(p.name for p in PCAPS.glob("*.pcap")) if PCAPS.exists() else []


def load_expected(name):
    records = reference.load_eve(PCAPS / "expected" / name.replace(".pcap", ".jsonl"))
    header = next(r for r in records if r.get("type") == "pcap")
    return header, reference.reference_flows(records, "suri")


def test_shared_captures_are_present():
    assert len(ALL_PCAPS) >= 28, f"expected the shared captures in {PCAPS}"


@pytest.fixture(params=ALL_PCAPS)
def replay(request, run_vigil):
    name = request.param
    header, expected = load_expected(name)
    run = run_vigil("-r", PCAPS / name)
    return name, header, expected, run


def test_run_succeeds_and_records_validate(replay, eve_validator):
    name, header, expected, run = replay
    corrupt = "corrupt_file" in header.get("unsure", [])
    if corrupt:
        assert run.returncode == 2, run.describe()
        assert name in run.stderr and "truncated or corrupt" in run.stderr, run.stderr
    else:
        assert run.returncode == 0, run.describe()
    if expected:
        assert run.records, f"{name}: no EVE records"
    else:
        assert run.flows() == [], f"{name}: the reference has no flow (Suricata makes none)"
    assert_valid_eve(eve_validator, run.records)


def test_every_flow_logged_once(replay):
    _, _, _, run = replay
    ids = [r["flow_id"] for r in run.flows()]
    assert len(ids) == len(set(ids)), "a flow_id appears in more than one flow record"
    for rec in run.flows():
        assert rec["flow"]["reason"] in ("timeout", "shutdown", "forced"), rec


def test_flows_match_reference(replay):
    name, header, expected, run = replay
    cls = header["class"]
    if cls == "strict":
        differences = reference.compare_flows(run.records, expected)
        assert not differences, f"{name}:\n" + "\n".join(differences)
    elif cls == "tunnel":
        got = {reference.flow_key(r) for r in run.flows()}
        missing = [reference.describe_key(reference.flow_key(r)) for r in expected
                   if reference.flow_key(r) not in got]
        assert not missing, f"{name}: tunnel flows missing from EVE: {missing}"
        assert any("tunnel" in r for r in run.flows()), f"{name}: no record carries a tunnel object"
    else:
        # soft: the reference is unsure (malformed or corrupt input); every flow it
        # is sure of must still be there.
        got = {reference.flow_key(r) for r in run.flows()}
        for rec in expected:
            if rec.get("pkts_toserver", 0) + rec.get("pkts_toclient", 0) > 0 and "malformed" not in rec.get("tags", []):
                assert reference.flow_key(rec) in got, f"{name}: {reference.describe_key(reference.flow_key(rec))} missing"


def test_flow_records_are_suricata_shaped(replay):
    _, _, _, run = replay
    for rec in run.flows():
        assert rec["event_type"] == "flow"
        assert rec["ip_v"] in (4, 6)
        f = rec["flow"]
        assert f["start"] <= f["end"]
        assert f["age"] >= 0
        assert f["state"] in ("new", "established", "closed")
        if rec["proto"] == "TCP":
            assert "tcp" in rec and len(rec["tcp"]["tcp_flags"]) == 2
        if rec["proto"] in ("TCP", "UDP", "SCTP"):
            assert "src_port" in rec and "dest_port" in rec
        if rec["proto"] in ("ICMP", "IPv6-ICMP"):
            assert "icmp_type" in rec and "src_port" not in rec
