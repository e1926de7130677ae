"""Issue 3: the flows Vigil logs do not depend on the runmode or the number
of flow workers, nor on the run: for every shared capture and two generated
ones, the multiset of EVE flow records (every field but flow_id and
timestamp) is the same in single, autofp with 1, 2, 3 and 8 workers, and a
repeated single run."""

import pytest

from test_engine_support import (ENGINE_MODES, describe_multiset_difference, flow_multiset,
                                 generate, mode_name, needs_pcapgen, needs_vigil, run_vigil, shared_pcaps)

GENERATED = {
    "mix": ["--flows", "3000", "--seed", "31", "--concurrency", "500"],
    "syn-flood": ["--flows", "1500", "--seed", "32", "--syn-flood", "20000"],
}


def _runs(pcap, tmp_path):
    runs = {}
    for runmode, workers in ENGINE_MODES:
        name = mode_name(runmode, workers)
        runs[name] = run_vigil(pcap, tmp_path / name, runmode, workers)
    runs["single-again"] = run_vigil(pcap, tmp_path / "single-again", "single")
    return runs


def _assert_same_flows(runs):
    base = runs["single"]
    want = flow_multiset(base.records)
    for name, run in runs.items():
        assert run.returncode == base.returncode, f"{name}: {run.describe()}\nsingle: {base.describe()}"
        got = flow_multiset(run.records)
        assert got == want, (f"{name} logs other flow records than single "
                             f"({sum(got.values())} vs {sum(want.values())}):\n"
                             + describe_multiset_difference(got, want))


@needs_vigil
@pytest.mark.parametrize("pcap", shared_pcaps(), ids=lambda p: p.name)
def test_shared_capture_flows_do_not_depend_on_runmode(tmp_path, pcap):
    _assert_same_flows(_runs(pcap, tmp_path))


@needs_vigil
@needs_pcapgen
@pytest.mark.parametrize("name", list(GENERATED))
def test_generated_capture_flows_do_not_depend_on_runmode(tmp_path, name):
    pcap, ref = generate(tmp_path, name, GENERATED[name])
    runs = _runs(pcap, tmp_path)
    for run_name, run in runs.items():
        assert run.returncode == 0, f"{run_name}: {run.describe()}"
    flows = [r for r in ref if r.get("type") == "flow"]
    assert len(runs["single"].flows()) == len(flows), "single must log every generated flow once"
    _assert_same_flows(runs)

