"""Issue 3: nothing lost, nothing logged twice. With EVE `stats` records on
(etc/vigil.yaml lists them), the last stats record of a run counts as many
flows (flow.total) as there are flow records and none still active; every
flow_id is logged once; flow.memuse never exceeds the configured
flow.memcap; every stats record validates against the EVE schema."""

import os

import pytest

import reference
from conftest import assert_valid_eve
from test_engine_support import (assert_flow_ids_unique, assert_memuse_within, final_stats, generate, mode_name,
                                 needs_pcapgen, needs_vigil, parse_size, run_vigil, shared_pcaps)

MEMCAP = "64mb"
MODES = [("single", None), ("autofp", 1), ("autofp", 3)]
if os.environ.get("VIGIL_SANITIZER"):
    MODES = [("autofp", 3)]
GENERATED = {
    "mix": ["--flows", "20000", "--seed", "41"],
    "syn-flood": ["--flows", "1500", "--seed", "42", "--syn-flood", "20000"],
    "timeout-probe": ["--timeout-probe", "--seed", "43"],
}


def _check(run, expected_flows=None, exit_codes=(0,)):
    assert run.returncode in exit_codes, run.describe()
    stats = final_stats(run)
    flows = run.flows()
    assert stats["flow"]["total"] == len(flows), \
        f"final stats flow.total {stats['flow']['total']}, but {len(flows)} flow records"
    assert stats["flow"]["active"] == 0, f"final stats flow.active {stats['flow']['active']}, expected 0"
    assert_flow_ids_unique(run)
    assert_memuse_within(run, parse_size(MEMCAP))
    if expected_flows is not None:
        assert len(flows) == expected_flows


@needs_vigil
@pytest.mark.parametrize("runmode,workers", MODES, ids=[mode_name(*m) for m in MODES])
@pytest.mark.parametrize("pcap", shared_pcaps(), ids=lambda p: p.name)
def test_shared_capture_every_flow_counted_once(tmp_path, pcap, runmode, workers):
    run = run_vigil(pcap, tmp_path / "out", runmode, workers, sets=[f"flow.memcap={MEMCAP}"])
    # A truncated capture exits 2; the flows read before the damage still count.
    _check(run, exit_codes=(0, 2))


@needs_vigil
@needs_pcapgen
@pytest.mark.parametrize("runmode,workers", MODES, ids=[mode_name(*m) for m in MODES])
@pytest.mark.parametrize("name", list(GENERATED))
def test_generated_capture_every_flow_counted_once(tmp_path, name, runmode, workers):
    pcap, ref = generate(tmp_path, name, GENERATED[name])
    run = run_vigil(pcap, tmp_path / "out", runmode, workers, sets=[f"flow.memcap={MEMCAP}"])
    _check(run, expected_flows=len(reference.reference_flows(ref)))
    differences = reference.compare_flows(run.records, ref)
    assert not differences, "\n".join(differences)


@needs_vigil
@needs_pcapgen
def test_stats_records_follow_the_schema(tmp_path, eve_validator):
    pcap, _ = generate(tmp_path, "mix", GENERATED["mix"])
    run = run_vigil(pcap, tmp_path / "out", "autofp", 2)
    assert run.returncode == 0, run.describe()
    final_stats(run)
    assert_valid_eve(eve_validator, run.stats())
