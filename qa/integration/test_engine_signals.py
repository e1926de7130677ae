"""Issue 3: shutdown by signal. SIGTERM in the middle of a replay stops the
capture, drains the workers and logs every flow seen so far exactly once
(reason shutdown or timeout), writes the final stats and exits 0; a second
signal exits at once."""

import json
import os
import signal
import subprocess
import time

import pytest

from test_engine_support import needs_pcapgen, needs_vigil, CONFIG, PCAPGEN, VIGIL


@pytest.fixture(scope="module")
def long_capture(tmp_path_factory):
    """A directory replaying one generated capture eight times over (~9M
    packets): long enough to be interrupted."""
    base = tmp_path_factory.mktemp("signals")
    pcap = base / "one.pcap"
    subprocess.run([str(PCAPGEN), "--flows", "100000", "--seed", "71", "--quiet", "--out", str(pcap)],
                   check=True, timeout=120)
    replay = base / "replay"
    replay.mkdir()
    for i in range(8):
        os.symlink(pcap, replay / f"part-{i}.pcap")
    return replay


def start(tmp_path, capture, env=None):
    out = tmp_path / "out"
    out.mkdir()
    command = [str(VIGIL), "-c", str(CONFIG), "-r", str(capture), "-l", str(out),
               "--runmode", "autofp", "--set", "threading.flow-workers=2"]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env), out


def records(out):
    with open(out / "eve.json") as f:
        return [json.loads(line) for line in f]


@needs_vigil
@needs_pcapgen
def test_sigterm_drains_and_logs_every_flow_once(tmp_path, long_capture):
    proc, out = start(tmp_path, long_capture)
    time.sleep(1.0)
    assert proc.poll() is None, "the replay ended before the signal: make the capture longer"
    sent = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 0, stderr[-2000:]
    assert time.monotonic() - sent < 20, "shutdown took too long"
    recs = records(out)
    flows = [r for r in recs if r["event_type"] == "flow"]
    stats = [r for r in recs if r["event_type"] == "stats"]
    assert flows and stats
    final = stats[-1]["stats"]
    assert final["flow"]["total"] == len(flows)
    assert final["flow"]["active"] == 0
    assert len({r["flow_id"] for r in flows}) == len(flows)
    assert {r["flow"]["reason"] for r in flows} <= {"timeout", "shutdown"}
    # Interrupted: fewer packets than the eight files hold.
    assert final["decoder"]["pkts"] < 8 * 1_000_000


@needs_vigil
@needs_pcapgen
def test_second_signal_exits_at_once(tmp_path, long_capture):
    # Exiting at once leaves the threads unjoined on purpose; ThreadSanitizer
    # would report that as a leak, which here is the point.
    env = dict(os.environ)
    env["TSAN_OPTIONS"] = env.get("TSAN_OPTIONS", "") + ":report_thread_leaks=0"
    proc, _ = start(tmp_path, long_capture, env)
    time.sleep(1.0)
    proc.send_signal(signal.SIGTERM)
    proc.send_signal(signal.SIGINT)
    proc.communicate(timeout=10)
    assert proc.returncode == 2
