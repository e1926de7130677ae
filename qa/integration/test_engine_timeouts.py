"""Issue 3: flow timeouts by protocol and state, in every runmode. The
--timeout-probe capture holds flows idle for 1 s less and 1 s more than each
timeout; Vigil must log exactly the generator's records: a flow split where
(and only where) a gap reached the timeout of the state it was in, each
part with its own counters, first and last packet times, and every part but
the last ended by `timeout`."""

import pytest

import reference
from test_engine_support import (EMERGENCY_AS_NORMAL, ENGINE_MODES, compare_segments, generate, mode_name,
                                 needs_pcapgen, needs_vigil, run_vigil, segments_by_key)

PROBES = {
    "normal": (["--timeout-probe", "--seed", "51"], []),
    # The emergency gaps hold while the emergency-* values apply; a pcap
    # cannot keep the engine in emergency mode, so the normal timeouts are
    # set to those values instead.
    "emergency-values": (["--timeout-probe=emergency", "--seed", "52"], EMERGENCY_AS_NORMAL),
}


def _probe_keys(ref):
    return {reference.flow_key(r) for r in reference.reference_flows(ref) if r.get("phase") != "background"}


def _split_parts_end_by_timeout(run, ref):
    wanted = segments_by_key(reference.reference_flows(ref))
    by_key = {}
    for record in run.flows():
        by_key.setdefault(reference.flow_key(record), []).append(record)
    problems = []
    for key in _probe_keys(ref):
        parts = sorted(by_key.get(key, []), key=lambda r: r["flow"]["start"])
        for part in parts[:-1]:
            if part["flow"]["reason"] != "timeout":
                problems.append(f"{reference.describe_key(key)}: part starting {part['flow']['start']} ended "
                                f"{part['flow']['reason']}, expected timeout ({len(wanted[key])} parts)")
    return problems


@needs_vigil
@needs_pcapgen
@pytest.mark.parametrize("runmode,workers", ENGINE_MODES, ids=[mode_name(*m) for m in ENGINE_MODES])
@pytest.mark.parametrize("variant", list(PROBES))
def test_timeout_probe_equals_reference(tmp_path, variant, runmode, workers):
    options, sets = PROBES[variant]
    pcap, ref = generate(tmp_path, variant, options)
    run = run_vigil(pcap, tmp_path / "out", runmode, workers, sets=sets)
    assert run.returncode == 0, run.describe()

    differences = reference.compare_flows(run.records, ref)
    assert not differences, "flow totals differ from the reference:\n" + "\n".join(differences)
    differences = compare_segments(run.records, ref)
    assert not differences, "flows split differently from the reference:\n" + "\n".join(differences)
    assert len(run.flows()) == len(reference.reference_flows(ref))
    problems = _split_parts_end_by_timeout(run, ref)
    assert not problems, "\n".join(problems)


@needs_pcapgen
def test_timeout_probe_reference_splits_exactly_the_above_probes(tmp_path):
    """The reference itself: every -above probe is split, no -below probe is."""
    _, ref = generate(tmp_path, "normal", PROBES["normal"][0])
    parts = {}
    for record in reference.reference_flows(ref):
        if record["phase"] != "background":
            parts[record["phase"]] = parts.get(record["phase"], 0) + 1
    assert len(parts) == 36
    for probe, count in parts.items():
        if "-below-" in probe:
            assert count == 1, probe
        elif probe.startswith("udp-new-then-established-above"):
            assert count == 3, probe
        else:
            assert count == 2, probe
