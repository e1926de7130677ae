"""Issue 5, pcap-service mode: `vigil --unix-socket=PATH` waits for pcap files
queued over the control socket (Suricata's pcap-file, pcap-file-number,
pcap-file-list, pcap-current, pcap-last-processed, pcap-interrupt) and replays
each into its own output directory exactly as `vigil -r` would. The client is
the one test_control_socket.py writes from the protocol description, plus the
real vigilctl for the commands an operator types."""

import json
import os
import re
import shutil
import subprocess
import time

import pytest

from conftest import CONFIG, PCAPS, VIGIL
from ctl_support import Client
from test_engine_support import (describe_multiset_difference, flow_multiset, generate,
                                 needs_pcapgen, needs_vigil, run_vigil, shared_pcaps)

pytestmark = [needs_vigil]

VIGILCTL = VIGIL.parent / "vigilctl"
CORRUPT = "bug-1450-04.pcap"   # cut short part way: the run fails, the service goes on
STARTED = re.compile(r"pcap-service: starting run for '([^']+)'")


class Service:
    """A vigil --unix-socket daemon; stderr goes to a file the test reads."""

    def __init__(self, tmp_path, runmode="single", sets=()):
        self.socket = tmp_path / "svc.sock"
        self.log = tmp_path / "svc.log"
        command = [str(VIGIL), "-c", str(CONFIG), f"--unix-socket={self.socket}",
                   "--runmode", runmode]
        for s in sets:
            command += ["--set", s]
        self.log_file = open(self.log, "w")
        self.proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=self.log_file)
        self.client = Client(self.socket)

    def command(self, name, **arguments):
        return self.client.command(name, **arguments)

    def queue(self, pcap, outdir, **extra):
        outdir.mkdir(parents=True, exist_ok=True)
        reply = self.command("pcap-file", filename=str(pcap), **{"output-dir": str(outdir)},
                             **extra)
        assert reply == {"message": "Successfully added file to list", "return": "OK"}, reply

    def wait_idle(self, timeout=300):
        """Until nothing is queued or running; returns pcap-last-processed."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, self.stderr()
            if (self.command("pcap-file-number")["message"] == 0
                    and self.command("pcap-current")["message"] == "None"):
                return self.command("pcap-last-processed")["message"]
            time.sleep(0.05)
        pytest.fail(f"the queue did not drain in {timeout} s:\n{self.stderr()}")

    def shutdown(self, timeout=60):
        assert self.command("shutdown") == {"message": "Closing Vigil", "return": "OK"}
        self.client.close()
        code = self.proc.wait(timeout=timeout)
        self.log_file.close()
        return code

    def stderr(self):
        if not self.log_file.closed:
            self.log_file.flush()
        return self.log.read_text()

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.client.close()
        self.log_file.close()


@pytest.fixture
def service(tmp_path):
    services = []

    def start(**kwargs):
        s = Service(tmp_path, **kwargs)
        services.append(s)
        return s

    yield start
    for s in services:
        s.kill()


def load(outdir):
    path = outdir / "eve.json"
    return [json.loads(line) for line in path.read_text().splitlines() if line]


def counters(records, runmode):
    """The final stats record without what differs between two -r runs of the
    same file: uptime (wall clock); flow.mgr (the hash seed is random per run,
    so which rows a manager slice visits, and the flows it checks there,
    differ); in autofp the spare pool's level and the workers' syncs with it
    (thread timing decides when the manager refills the pool)."""
    stats = [r for r in records if r.get("event_type") == "stats"]
    assert stats, "no EVE stats record"
    final = json.loads(json.dumps(stats[-1]["stats"]))
    final.pop("uptime", None)
    flow = final.get("flow", {})
    flow.pop("mgr", None)
    if runmode == "autofp":
        for key in ("wrk", "spare", "memuse"):
            flow.pop(key, None)
    return final


def assert_same_as_offline(outdir, pcap, tmp_path, runmode):
    alone = run_vigil(pcap, tmp_path / f"offline-{pcap.stem}", runmode)
    got = load(outdir)
    got_flows, want_flows = flow_multiset(got), flow_multiset(alone.records)
    assert got_flows == want_flows, \
        f"{pcap.name}:\n{describe_multiset_difference(got_flows, want_flows)}"
    assert counters(got, runmode) == counters(alone.records, runmode), pcap.name


def ten_pcaps():
    pcaps = [p for p in shared_pcaps() if p.name != CORRUPT]
    assert len(pcaps) >= 10, "need 10 shared pcaps"
    return pcaps[:10]


@pytest.mark.parametrize("runmode", ["single", "autofp"])
def test_ten_queued_pcaps_processed_in_order_like_offline(service, tmp_path, runmode):
    svc = service(runmode=runmode)
    pcaps = ten_pcaps()
    before = int(time.time() * 1000)
    for i, pcap in enumerate(pcaps):
        svc.queue(pcap, tmp_path / f"out-{i:02d}")
    listing = svc.command("pcap-file-list")["message"]
    assert listing["count"] == len(listing["files"])
    assert listing["files"] == [str(p) for p in pcaps][len(pcaps) - listing["count"]:]
    last = svc.wait_idle()
    assert before <= last <= int(time.time() * 1000)
    assert svc.command("running-mode")["message"] == runmode
    assert svc.command("capture-mode")["message"] == "UNIX_SOCKET"
    assert svc.shutdown() == 0
    assert STARTED.findall(svc.stderr()) == [str(p) for p in pcaps]
    for i, pcap in enumerate(pcaps):
        assert_same_as_offline(tmp_path / f"out-{i:02d}", pcap, tmp_path / runmode, runmode)


def test_a_failed_file_does_not_stop_the_queue(service, tmp_path):
    svc = service()
    good = ten_pcaps()[0]
    svc.queue(PCAPS / CORRUPT, tmp_path / "bad")
    svc.queue(good, tmp_path / "good")
    svc.wait_idle()
    log = svc.stderr()
    assert f"run for '{PCAPS / CORRUPT}' failed" in log, log
    assert svc.shutdown() == 0
    assert_same_as_offline(tmp_path / "good", good, tmp_path, "single")


def test_queue_refusals(service, tmp_path):
    svc = service()
    assert svc.command("pcap-file", filename=str(tmp_path / "none.pcap"),
                       **{"output-dir": str(tmp_path)}) == \
        {"message": "File does not exist", "return": "NOK"}
    pcap = ten_pcaps()[0]
    assert svc.command("pcap-file", filename=str(pcap),
                       **{"output-dir": str(tmp_path / "missing")}) == \
        {"message": "Output directory does not exist", "return": "NOK"}
    assert svc.command("pcap-file", filename=str(pcap)) == \
        {"message": "output-dir param is mandatory", "return": "NOK"}
    assert svc.command("pcap-file", filename=7, **{"output-dir": str(tmp_path)}) == \
        {"message": "filename is not a string", "return": "NOK"}
    assert svc.command("pcap-interrupt") == \
        {"message": "No file is being processed", "return": "OK"}
    assert svc.command("pcap-last-processed") == {"message": 0, "return": "OK"}
    assert svc.command("pcap-file-number") == {"message": 0, "return": "OK"}
    assert svc.shutdown() == 0


@needs_pcapgen
def test_interrupt_stops_only_the_current_file(service, tmp_path):
    """The current file is a FIFO the test writes: a quarter of the capture
    before pcap-interrupt, the rest after. The reader checks the stop word
    after every packet, so at least one packet and far from all are read."""
    pcap, _ = generate(tmp_path, "long", ["--flows", "300", "--seed", "7"])
    fifo = tmp_path / "live.pcap"
    os.mkfifo(fifo)
    svc = service()
    svc.queue(fifo, tmp_path / "cut")
    after = ten_pcaps()[0]
    svc.queue(after, tmp_path / "after")
    data = pcap.read_bytes()
    with open(fifo, "wb", buffering=0) as writer:
        writer.write(data[:len(data) // 4])
        deadline = time.monotonic() + 30
        while svc.command("pcap-current")["message"] != str(fifo):
            assert time.monotonic() < deadline, svc.stderr()
            time.sleep(0.05)
        assert svc.command("pcap-interrupt") == {"message": "Interrupted", "return": "OK"}
        try:
            writer.write(data[len(data) // 4:])
        except BrokenPipeError:
            pass
    svc.wait_idle()
    assert f"run for '{fifo}' interrupted" in svc.stderr()
    cut = sum(f["flow"]["pkts_toserver"] + f["flow"]["pkts_toclient"]
              for f in load(tmp_path / "cut") if f.get("event_type") == "flow")
    full = sum(f["flow"]["pkts_toserver"] + f["flow"]["pkts_toclient"]
               for f in run_vigil(pcap, tmp_path / "whole").flows())
    assert 0 < cut < full
    assert svc.shutdown() == 0
    assert_same_as_offline(tmp_path / "after", after, tmp_path, "single")


def test_delete_when_done(service, tmp_path):
    copy = tmp_path / "copy.pcap"
    shutil.copy(ten_pcaps()[0], copy)
    svc = service()
    svc.queue(copy, tmp_path / "out", **{"delete-when-done": True})
    svc.wait_idle()
    assert not copy.exists()
    assert load(tmp_path / "out")
    assert svc.shutdown() == 0


def test_shutdown_drops_the_queue_and_exits_zero(service, tmp_path):
    fifo = tmp_path / "stalled.pcap"
    os.mkfifo(fifo)
    svc = service()
    svc.queue(fifo, tmp_path / "first")
    for i, pcap in enumerate(ten_pcaps()[:3]):
        svc.queue(pcap, tmp_path / f"later-{i}")
    with open(fifo, "wb", buffering=0) as writer:
        writer.write((PCAPS / ten_pcaps()[0].name).read_bytes()[:24])
        assert svc.command("shutdown") == {"message": "Closing Vigil", "return": "OK"}
    assert svc.proc.wait(timeout=60) == 0
    assert "3 queued files not processed" in svc.stderr()
    assert not (tmp_path / "svc.sock").exists()


def test_vigilctl_drives_the_service(service, tmp_path, monkeypatch):
    if not os.access(VIGILCTL, os.X_OK):
        pytest.skip(f"vigilctl not built: {VIGILCTL}")
    svc = service()
    pcap = ten_pcaps()[0]
    (tmp_path / "rel").mkdir()
    shutil.copy(pcap, tmp_path / "rel" / pcap.name)
    monkeypatch.chdir(tmp_path)

    def ctl(*args):
        return subprocess.run([str(VIGILCTL), "-s", str(svc.socket), *args],
                              capture_output=True, text=True, timeout=30)

    added = ctl("pcap-file", f"rel/{pcap.name}", "rel")
    assert added.returncode == 0 and "Successfully added file to list" in added.stdout, added
    svc.wait_idle()
    assert STARTED.findall(svc.stderr()) == [str(tmp_path / "rel" / pcap.name)]
    listing = ctl("--json", "pcap-file-list")
    assert json.loads(listing.stdout)["message"] == {"count": 0, "files": []}
    assert ctl("pcap-current").stdout.strip() == "None"
    assert ctl("pcap-file-number").stdout.strip() == "0"
    last = ctl("pcap-last-processed")
    assert last.returncode == 0 and int(last.stdout) == svc.command("pcap-last-processed")["message"]
    idle = ctl("pcap-interrupt")
    assert idle.returncode == 0 and idle.stdout.strip() == "No file is being processed"
    refused = ctl("pcap-file", "missing.pcap", "rel")
    assert refused.returncode == 1 and "File does not exist" in refused.stdout + refused.stderr
    assert ctl("shutdown").returncode == 0
    assert svc.proc.wait(timeout=60) == 0
    assert_same_as_offline(tmp_path / "rel", pcap, tmp_path / "offline", "single")


def test_unix_socket_is_one_capture_source(tmp_path):
    result = subprocess.run([str(VIGIL), "-c", str(CONFIG), "--unix-socket", "-r",
                             str(ten_pcaps()[0]), "-l", str(tmp_path)],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 1
    assert "give one capture source" in result.stderr
