"""Issue 5, the server: a real vigil replays a generated capture from a named
pipe the test keeps open (so the run lasts as long as the test wants) with
unix-command enabled, and a small client written here from the protocol
description (Suricata's unix socket, 0.2: a version message, then one JSON
command per line, one JSON reply per line) drives every command, sends
malformed input, and runs 20 clients at once while packets flow."""

import json
import os
import socket
import subprocess
import threading
import time

import pytest

from conftest import CONFIG, VIGIL
from test_engine_support import (describe_multiset_difference, flow_multiset, generate,
                                 needs_pcapgen, needs_vigil, run_vigil)

pytestmark = [needs_vigil, needs_pcapgen]

GENERATED = ["--flows", "2000", "--seed", "51", "--concurrency", "300"]
SETS = ["stats.interval=1", "outputs.0.eve-log.types.0.stats.threads=yes"]


class Client:
    """One connection: connect (retrying while the socket appears), handshake."""

    def __init__(self, path, version="0.2", timeout=10):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(timeout)
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.sock.connect(str(path))
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        self.pending = b""
        if version is not None:
            assert self.request({"version": version}) == {"return": "OK"}

    def send_raw(self, data):
        self.sock.sendall(data)

    def read_line(self):
        """The next reply line, or None when the server closed the connection."""
        while b"\n" not in self.pending:
            chunk = self.sock.recv(65536)
            if not chunk:
                return None
            self.pending += chunk
        line, self.pending = self.pending.split(b"\n", 1)
        return json.loads(line)

    def request(self, message):
        self.send_raw(json.dumps(message).encode() + b"\n")
        return self.read_line()

    def command(self, name, **arguments):
        message = {"command": name}
        if arguments:
            message["arguments"] = arguments
        return self.request(message)

    def closed_by_server(self):
        try:
            return self.read_line() is None
        except ConnectionResetError:
            return True

    def close(self):
        self.sock.close()


class PipedRun:
    """vigil -r on a FIFO: the test decides when packets arrive and when the
    input ends, so the engine is live while the test talks to it."""

    def __init__(self, tmp_path, pcap, runmode="autofp", sets=()):
        self.fifo = tmp_path / "input.pcap"
        self.socket = tmp_path / "s.sock"
        self.outdir = tmp_path / "out"
        self.outdir.mkdir()
        os.mkfifo(self.fifo)
        self.data = pcap.read_bytes()
        self.sent = 0
        command = [str(VIGIL), "-c", str(CONFIG), "-l", str(self.outdir), "-r", str(self.fifo),
                   "--runmode", runmode, "--set", "unix-command.enabled=yes",
                   "--set", f"unix-command.filename={self.socket}"]
        for s in sets:
            command += ["--set", s]
        self.proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True)
        self.writer = open(self.fifo, "wb", buffering=0)

    def feed(self, fraction=1.0, pause=0.0, chunk=65536):
        """Writes the capture up to fraction of its size, chunk by chunk."""
        end = int(len(self.data) * fraction)
        while self.sent < end:
            piece = self.data[self.sent:min(end, self.sent + chunk)]
            self.writer.write(piece)
            self.sent += len(piece)
            time.sleep(pause)

    def finish(self, timeout=60):
        self.feed(1.0)
        self.writer.close()
        stdout, stderr = self.proc.communicate(timeout=timeout)
        self.stderr = stderr
        return self.proc.returncode

    def records(self):
        lines = (self.outdir / "eve.json").read_text().splitlines()
        return [json.loads(line) for line in lines if line]

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        if not self.writer.closed:
            try:
                self.writer.close()
            except BrokenPipeError:
                pass


@pytest.fixture
def capture(tmp_path_factory):
    pcap, _ = generate(tmp_path_factory.mktemp("ctl-pcap"), "ctl", GENERATED)
    return pcap


@pytest.fixture
def piped(tmp_path, capture):
    runs = []

    def start(**kwargs):
        run = PipedRun(tmp_path, capture, **kwargs)
        runs.append(run)
        return run

    yield start
    for run in runs:
        run.kill()


def test_every_command(piped):
    run = piped(sets=SETS)
    run.feed(0.3)
    c = Client(run.socket)
    assert oct(os.stat(run.socket).st_mode & 0o777) == "0o660"
    listed = c.command("command-list")
    assert listed["return"] == "OK"
    names = set(listed["message"]["commands"])
    assert listed["message"]["count"] == len(names)
    assert {"shutdown", "command-list", "help", "version", "uptime", "running-mode", "capture-mode",
            "conf-get", "dump-counters", "reopen-log-files", "iface-list", "iface-stat", "memcap-set",
            "memcap-show", "memcap-list", "flow-list", "flow-show"} <= names
    assert set(c.command("help")["message"]) == names
    version = subprocess.run([str(VIGIL), "-V"], capture_output=True, text=True).stdout
    assert c.command("version")["message"] in version
    assert isinstance(c.command("uptime")["message"], int)
    assert c.command("running-mode")["message"] == "autofp"
    assert c.command("capture-mode")["message"] == "PCAP_FILE"
    assert c.command("conf-get", variable="stats.interval") == {"message": "1", "return": "OK"}
    eve = c.command("conf-get", variable="outputs.0.eve-log")["message"]
    assert eve["filename"] == "eve.json" and "flow" in eve["types"]
    assert c.command("conf-get", variable="no.such.key") == {"message": "Unable to get value",
                                                             "return": "NOK"}
    assert c.command("iface-list") == {"message": {"count": 0, "ifaces": []}, "return": "OK"}
    assert c.command("iface-stat", iface="eth0") == {"message": "Interface not found",
                                                     "return": "NOK"}
    memcaps = {m["name"]: m["value"] for m in c.command("memcap-list")["message"]}
    assert memcaps["flow"] == "128mb"
    refused = c.command("memcap-set", config="flow", memcap="1kb")
    assert refused["return"] == "NOK"
    assert "is less than the memory in use" in refused["message"]
    assert c.command("memcap-set", config="flow", memcap="256mb")["return"] == "OK"
    assert c.command("memcap-show", config="flow") == {"message": {"value": "256mb"},
                                                       "return": "OK"}
    assert c.command("reopen-log-files") == {"message": "done", "return": "OK"}

    flows = c.command("flow-list", limit=5)["message"]
    assert flows["count"] == len(flows["flows"]) == 5 and flows["truncated"]
    first = flows["flows"][0]
    assert {"flow_id", "src_ip", "dest_ip", "proto", "pkts_toserver", "pkts_toclient",
            "bytes_toserver", "bytes_toclient", "state", "age"} <= set(first)
    shown = c.command("flow-show", flow_id=first["flow_id"])
    assert shown["return"] == "OK" and shown["message"]["src_ip"] == first["src_ip"]
    picked = c.command("flow-list", src_ip=first["src_ip"], proto=first["proto"], limit=10000)
    assert picked["message"]["flows"], picked
    assert all(f["src_ip"] == first["src_ip"] and f["proto"] == first["proto"]
               for f in picked["message"]["flows"])
    assert c.command("flow-show", flow_id=1)["message"] == "Flow not found"

    counters = c.command("dump-counters")["message"]
    assert "flow" in counters and "threads" in counters and "uptime" in counters
    c.close()
    assert run.finish() == 0, run.stderr
    assert not run.socket.exists(), "the socket file is removed at exit"


def test_malformed_input_gets_documented_reaction(piped):
    run = piped()
    run.feed(0.2)
    closes = {
        "binary junk": b"\x00\xff\xfe\x01garbage\x80\n",
        "one MiB line": b"x" * (1 << 20) + b"\n",
        "truncated JSON": b'{"command": "version", "argu\n',
        "command not a string": b'{"command": 42}\n',
        "arguments not an object": b'{"command": "conf-get", "arguments": [1]}\n',
    }
    for name, data in closes.items():
        c = Client(run.socket)
        try:
            c.send_raw(data)
        except (BrokenPipeError, ConnectionResetError):
            pass
        reply = c.read_line()
        assert reply["return"] == "NOK" and reply["message"], name
        assert c.closed_by_server(), f"{name}: the server closes the connection"
        c.close()
    stays = [
        ({"command": "no-such-command"}, "Unknown command"),
        ({"command": "conf-get", "arguments": {"variable": 5}}, "variable is not a string"),
        ({"command": "flow-list", "arguments": {"dest_port": "http"}}, None),
        ({"command": "memcap-set", "arguments": {"config": "flow", "memcap": "lots"}},
         "error parsing memcap specified, value not changed"),
        ({"command": "flow-show", "arguments": {}}, None),
    ]
    c = Client(run.socket)
    for message, text in stays:
        reply = c.request(message)
        assert reply["return"] == "NOK", message
        if text is not None:
            assert reply["message"] == text
    assert c.command("version")["return"] == "OK", "the connection survives NOK replies"
    c.close()
    bad_version = Client(run.socket, version=None)
    assert bad_version.request({"version": "9.9"})["return"] == "NOK"
    assert bad_version.closed_by_server()
    v1 = Client(run.socket, version=None)
    v1.send_raw(b'{"version": "0.1"}')
    assert json.loads(v1.sock.recv(100)) == {"return": "OK"}
    v1.send_raw(b'{"command": "running-mode"}')
    assert json.loads(v1.sock.recv(100)) == {"message": "autofp", "return": "OK"}
    v1.close()
    stuck = Client(run.socket)
    stuck.send_raw(b'{"command": "dump-counters"}\n' * 200)
    assert run.finish() == 0, run.stderr
    stuck.close()
    assert len([r for r in run.records() if r["event_type"] == "flow"]) == 2000


def _without_uptime(stats):
    return {k: v for k, v in stats.items() if k != "uptime"}


def test_dump_counters_equals_eve_stats_when_idle(piped):
    """With every packet read and the engine idle on the open pipe, each stats
    record the stats thread writes holds the same counters; dump-counters must
    give exactly that object (the EVE builder, totals and threads)."""
    run = piped(sets=SETS)
    run.feed(1.0)
    c = Client(run.socket)
    deadline = time.monotonic() + 30
    while True:
        dumped = c.command("dump-counters")["message"]
        stats = [r["stats"] for r in run.records() if r["event_type"] == "stats"]
        if (len(stats) >= 2 and _without_uptime(stats[-1]) == _without_uptime(stats[-2])
                and _without_uptime(dumped) == _without_uptime(stats[-1])):
            break
        assert time.monotonic() < deadline, "dump-counters never matched an EVE stats record"
        time.sleep(0.5)
    assert dumped["decoder"]["pkts"] > 0 and dumped["threads"]
    c.close()
    assert run.finish() == 0, run.stderr


def test_concurrent_clients_leave_flows_unchanged(piped, capture, tmp_path):
    alone = run_vigil(capture, tmp_path / "alone", "autofp")
    assert alone.returncode == 0, alone.describe()
    run = piped()
    run.feed(0.05)
    stop = threading.Event()
    errors, replies = [], [0]

    def loop():
        try:
            c = Client(run.socket)
            while not stop.is_set():
                for name, args in (("dump-counters", {}), ("flow-list", {"limit": 50})):
                    reply = c.command(name, **args)
                    if reply is None or reply["return"] != "OK":
                        errors.append(reply)
                        return
                    replies[0] += 1
            c.close()
        except OSError as e:
            errors.append(repr(e))

    threads = [threading.Thread(target=loop) for _ in range(20)]
    for t in threads:
        t.start()
    run.feed(1.0, pause=0.01)
    stop.set()
    for t in threads:
        t.join(30)
    assert not errors, errors[:3]
    assert replies[0] >= 40
    assert run.finish() == 0, run.stderr
    got, want = flow_multiset(run.records()), flow_multiset(alone.records)
    assert got == want, describe_multiset_difference(got, want)


def test_shutdown_stops_the_run(piped):
    run = piped(runmode="single")
    run.feed(0.3)
    c = Client(run.socket)
    assert c.command("shutdown") == {"message": "Closing Vigil", "return": "OK"}
    try:
        run.feed(0.6)
        run.writer.close()
    except BrokenPipeError:
        pass
    assert run.proc.wait(timeout=30) == 0
    flows = [r for r in run.records() if r["event_type"] == "flow"]
    assert 0 < len(flows) < 2000, "the run stopped before the end of its input"
