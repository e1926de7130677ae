"""Issue 3: the flows Vigil logs do not depend on the runmode or the number
of flow workers, nor on the run: for every shared capture and two generated
ones, the multiset of EVE flow records (every field but flow_id and
timestamp) is the same in single, autofp with 1, 2, 3 and 8 workers, and a
repeated single run."""

import pytest

from pcapwrite import udp_frame, write_pcap
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



@needs_vigil
def test_large_frames_flows_do_not_depend_on_runmode(tmp_path):
    """autofp copies frames into 2 KiB packet buffers and lends the few bigger
    ones a large buffer (16 of them): 200 jumbo and near-64 KiB frames in a row
    make the capture thread wait for large buffers to come back, and every
    byte still counts, in every runmode."""
    frames, ts = [], 1700000000.0
    sizes = [18, 1400, 2100, 8972, 65000]
    for i in range(1000):
        size = sizes[i % len(sizes)] if i < 200 or i >= 800 else 65000
        port = 1000 + i % 10
        frames.append((ts + i * 0.001, udp_frame("10.0.0.1", "10.0.0.2", port, 53, b"j" * size)))
    pcap = tmp_path / "large-frames.pcap"
    write_pcap(pcap, frames)
    runs = _runs(pcap, tmp_path)
    for run_name, run in runs.items():
        assert run.returncode == 0, f"{run_name}: {run.describe()}"
    wire = {}
    for i, (_, data) in enumerate(frames):
        wire[1000 + i % 10] = wire.get(1000 + i % 10, 0) + len(data)
    logged = {r["src_port"]: r["flow"]["bytes_toserver"] for r in runs["single"].flows()}
    assert logged == wire
    _assert_same_flows(runs)
