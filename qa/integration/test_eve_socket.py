"""EVE to a Unix socket and log reopening, with the real binary: the records a
unix_stream or unix_dgram reader receives equal a regular-file run of the same
capture; a missing reader costs counted drops, not a failed run; after logrotate
renames eve.json and sends SIGHUP, the old and new files together hold every
record exactly once."""

import json
import os
import signal
import socket
import subprocess
import threading
import time

import pytest

from conftest import CONFIG, VIGIL
from test_engine_support import (describe_multiset_difference, flow_multiset, generate,
                                 needs_pcapgen, needs_vigil, run_vigil)

pytestmark = [needs_vigil, needs_pcapgen]


@pytest.fixture(scope="module")
def capture(tmp_path_factory):
    directory = tmp_path_factory.mktemp("eve-socket")
    pcap, _ = generate(directory, "mix", ["--flows", "4000", "--seed", "41", "--concurrency", "300"])
    regular = run_vigil(pcap, directory / "regular", "autofp", 2)
    assert regular.returncode == 0, regular.describe()
    assert len(regular.flows()) > 500
    return pcap, regular


def socket_sets(kind, path):
    return [f"outputs.0.eve-log.filetype={kind}", f"outputs.0.eve-log.filename={path}"]


def parse_lines(data):
    return [json.loads(line) for line in data.decode().splitlines() if line]


def assert_same_flows(records, regular):
    got, want = flow_multiset(records), flow_multiset(regular.records)
    assert got == want, describe_multiset_difference(got, want)


def test_unix_stream_reader_gets_every_record(tmp_path, capture):
    pcap, regular = capture
    path = tmp_path / "eve.sock"
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(path))
    listener.listen(1)
    received = bytearray()

    def read():
        conn, _ = listener.accept()
        while chunk := conn.recv(65536):
            received.extend(chunk)
        conn.close()

    reader = threading.Thread(target=read)
    reader.start()
    run = run_vigil(pcap, tmp_path / "out", "autofp", 2, sets=socket_sets("unix_stream", path))
    reader.join(timeout=30)
    listener.close()
    assert run.returncode == 0, run.describe()
    assert "records dropped" not in run.stderr, run.stderr
    assert received.endswith(b"\n")
    records = parse_lines(received)
    assert_same_flows(records, regular)
    assert any(r["event_type"] == "stats" for r in records)


def test_unix_dgram_one_record_per_datagram(tmp_path, capture):
    pcap, regular = capture
    path = tmp_path / "eve.sock"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    sock.bind(str(path))
    sock.settimeout(0.5)
    datagrams = []
    done = threading.Event()

    def read():
        while not done.is_set():
            try:
                datagrams.append(sock.recv(1 << 20))
            except socket.timeout:
                pass

    reader = threading.Thread(target=read)
    reader.start()
    run = run_vigil(pcap, tmp_path / "out", "autofp", 2, sets=socket_sets("unix_dgram", path))
    time.sleep(1.0)
    done.set()
    reader.join()
    sock.close()
    assert run.returncode == 0, run.describe()
    assert "records dropped" not in run.stderr, run.stderr
    for datagram in datagrams:
        assert datagram.count(b"\n") == 1 and datagram.endswith(b"\n")
    assert_same_flows([json.loads(d) for d in datagrams], regular)


def test_missing_reader_drops_and_counts(tmp_path, capture):
    pcap, regular = capture
    run = run_vigil(pcap, tmp_path / "out", "single",
                    sets=socket_sets("unix_stream", tmp_path / "nobody.sock"))
    assert run.returncode == 0, run.describe()
    assert "nobody.sock: No such file or directory; records are dropped" in run.stderr
    total = len(regular.flows())
    assert f"records dropped" in run.stderr
    dropped = int(run.stderr.split(" of ")[0].rsplit(" ", 1)[-1])
    assert dropped >= total
    stats_log = (tmp_path / "out" / "stats.log").read_text()
    assert "eve.dropped" in stats_log


def test_sighup_reopens_eve_json(tmp_path, capture):
    pcap, regular = capture
    data = pcap.read_bytes()
    fifo = tmp_path / "input.pcap"
    os.mkfifo(fifo)
    out = tmp_path / "out"
    out.mkdir()
    command = [str(VIGIL), "-c", str(CONFIG), "-r", str(fifo), "-l", str(out),
               "--set", "stats.interval=1"]
    vigil = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    eve, rotated = out / "eve.json", out / "eve.json.1"
    with open(fifo, "wb") as feed:
        feed.write(data[:len(data) // 2])
        feed.flush()
        deadline = time.monotonic() + 20
        while (not eve.exists() or eve.stat().st_size == 0) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert eve.stat().st_size > 0, "no record written from the first half"
        os.rename(eve, rotated)
        vigil.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + 20
        while not eve.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert eve.exists(), "eve.json not reopened after SIGHUP"
        feed.write(data[len(data) // 2:])
    stderr = vigil.communicate(timeout=120)[1]
    assert vigil.returncode == 0, stderr
    old = [json.loads(line) for line in rotated.read_text().splitlines()]
    new = [json.loads(line) for line in eve.read_text().splitlines()]
    assert old and any(r["event_type"] == "flow" for r in new)
    union = old + new
    flow_ids = [r["flow_id"] for r in union if r["event_type"] == "flow"]
    assert len(flow_ids) == len(set(flow_ids)), "a flow record was written twice"
    assert_same_flows(union, regular)
    assert (out / "stats.log").exists()
