"""What the control-socket tests share: a real vigil replaying a capture from a
named pipe the test feeds (so the engine is live while the test talks to it),
and a small client written from Suricata's unix-socket protocol description."""

import json
import os
import socket
import struct
import subprocess
import time

import pytest

from conftest import CONFIG, VIGIL
from test_engine_support import generate

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


def pcap_records(data):
    """(end offset, timestamp in us) of each record of a classic little-endian
    microsecond pcap, as vigil-pcapgen writes them."""
    assert struct.unpack_from("<I", data)[0] == 0xA1B2C3D4, "not a little-endian pcap"
    records, offset = [], 24
    while offset + 16 <= len(data):
        sec, usec, caplen, _ = struct.unpack_from("<IIII", data, offset)
        offset += 16 + caplen
        records.append((offset, sec * 1000000 + usec))
    return records


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
        self.started = time.monotonic()
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
        self.feed_bytes(int(len(self.data) * fraction), pause, chunk)

    def feed_bytes(self, end, pause=0.0, chunk=65536):
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

    def eve_lines(self):
        return (self.outdir / "eve.json").read_text().splitlines()

    def records(self):
        return [json.loads(line) for line in self.eve_lines() if line]

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        if not self.writer.closed:
            try:
                self.writer.close()
            except BrokenPipeError:
                pass


@pytest.fixture(scope="session")
def generated(tmp_path_factory):
    """(pcap, reference records) of 2000 flows over 0.24 s: none times out."""
    return generate(tmp_path_factory.mktemp("ctl-pcap"), "ctl", GENERATED)


@pytest.fixture
def capture(generated):
    return generated[0]


@pytest.fixture
def piped(tmp_path, capture):
    """piped(runmode=, sets=, pcap=capture) -> a started PipedRun, killed at teardown."""
    runs = []

    def start(pcap=capture, **kwargs):
        run = PipedRun(tmp_path, pcap, **kwargs)
        runs.append(run)
        return run

    yield start
    for run in runs:
        run.kill()
