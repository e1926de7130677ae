"""Issue 3: emergency mode under a SYN flood. 300k spoofed SYNs against a
small flow.memcap must not stall the engine: the run ends in bounded time,
flows are evicted with reason `forced`, emergency mode is entered and left
(flow.emerg_mode_entered / flow.emerg_mode_over), flow.memuse stays within
flow.memcap, every flow is still logged once, and the normal flows that start
after the flood (once the engine recovered) are logged exactly as the
reference says."""

import collections

import pytest

import reference
from test_engine_support import (ENGINE_MODES, assert_flow_ids_unique, assert_memuse_within, compare_segments,
                                 final_stats, generate, mode_name, needs_pcapgen, needs_vigil, parse_size,
                                 run_vigil)

FLOOD = ["--syn-flood", "300000", "--flows", "3000", "--seed", "61"]
# Room for about 12k flows: the flood cannot fit, the mix after it can.
MEMCAP = "4mb"
SMALL_TABLE = [f"flow.memcap={MEMCAP}", "flow.prealloc=1000", "flow.hash-size=4096"]
TIME_LIMIT_S = 120


@pytest.fixture(scope="module")
def flood(tmp_path_factory):
    return generate(tmp_path_factory.mktemp("flood"), "flood", FLOOD)


@pytest.fixture(scope="module")
def flood_expected(flood):
    """The keys of the flows after the flood, and the reference's totals per
    key: the same for every run, computed once."""
    _, ref = flood
    flows = reference.reference_flows(ref)
    return {reference.flow_key(r) for r in flows if r.get("phase") == "after"}, reference.sum_by_key(flows)


@needs_vigil
@needs_pcapgen
@pytest.mark.parametrize("runmode,workers", ENGINE_MODES, ids=[mode_name(*m) for m in ENGINE_MODES])
def test_syn_flood_with_small_memcap(tmp_path, flood, flood_expected, runmode, workers):
    pcap, ref = flood
    after, want = flood_expected
    run = run_vigil(pcap, tmp_path / "out", runmode, workers, sets=SMALL_TABLE, timeout=TIME_LIMIT_S)
    assert run.returncode == 0, run.describe()
    # The run's 300k records are read a pass per check, never all held at once.
    reasons = collections.Counter(r["flow"]["reason"] for r in run.iter_flows())
    assert reasons["forced"] > 0, f"no flow evicted with reason forced: {dict(reasons)}"

    assert len(after) == 1000
    differences = compare_segments(run.iter_flows(), ref, keys=after)
    assert not differences, "flows after the flood differ from the reference:\n" + "\n".join(differences)

    # Nothing invented, nothing counted twice: every logged flow is a reference
    # flow and no flow has more packets than the capture gave it.
    got = reference.sum_by_key(run.iter_flows(), {k: v["src"] for k, v in want.items()})
    unknown = [reference.describe_key(k) for k in got.keys() - want.keys()]
    assert not unknown, f"flows not in the capture: {unknown[:10]}"
    too_many = [reference.describe_key(k) for k in got
                if got[k]["pkts_toserver"] > want[k]["pkts_toserver"]
                or got[k]["pkts_toclient"] > want[k]["pkts_toclient"]]
    assert not too_many, f"flows with more packets than the capture holds: {too_many[:10]}"

    stats = final_stats(run)
    assert stats["flow"]["emerg_mode_entered"] >= 1, stats["flow"]
    assert stats["flow"]["emerg_mode_over"] >= 1, stats["flow"]
    assert stats["flow"]["total"] == sum(reasons.values())
    assert stats["flow"]["active"] == 0
    assert_memuse_within(run, parse_size(MEMCAP))
    assert_flow_ids_unique(run)


@needs_vigil
@needs_pcapgen
def test_syn_flood_with_default_memcap_equals_reference(tmp_path, flood):
    pcap, ref = flood
    run = run_vigil(pcap, tmp_path / "out", "autofp", 2, timeout=TIME_LIMIT_S)
    assert run.returncode == 0, run.describe()
    differences = compare_segments(run.iter_flows(), ref)
    assert not differences, "\n".join(differences)
    assert not any(r["flow"]["reason"] == "forced" for r in run.iter_flows())


@needs_vigil
@needs_pcapgen
@pytest.mark.parametrize("runmode,workers", [("single", None), ("autofp", 1)], ids=["single", "autofp-1"])
def test_spares_beyond_prealloc_are_freed_after_flood(tmp_path, flood, runmode, workers):
    """The flood's 300k flows time out during the capture; the manager gives
    the spare blocks beyond flow.prealloc back, so the pool does not keep
    them (it held all 300k and 60 MB of flow.memuse before)."""
    pcap, _ = flood
    prealloc = 1000
    run = run_vigil(pcap, tmp_path / "out", runmode, workers, sets=[f"flow.prealloc={prealloc}"],
                    timeout=TIME_LIMIT_S)
    assert run.returncode == 0, run.describe()
    flow = final_stats(run)["flow"]
    assert flow["total"] > 300000
    assert flow["spare"] < 10 * prealloc, flow
    assert flow["memuse"] < 10 * 1024 * 1024, flow
