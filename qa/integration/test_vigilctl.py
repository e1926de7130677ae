"""vigilctl against a fake control server written here from the protocol
description (Suricata's unix socket, version 0.2): handshake bytes, argument
mapping, readable and --json output, exit codes, connection errors, and replies
split across reads or tens of KiB long."""

import json
import os
import pathlib
import socket
import socketserver
import subprocess
import threading
import time

import pytest

from conftest import VIGILCTL


class FakeServer(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    """Answers the handshake, records every byte received, and replies to each
    command line with self.reply(request) -> (reply dict, chunk size, pause)."""

    daemon_threads = True

    def __init__(self, path):
        self.received = []
        self.requests = []
        self.reply = lambda request: ({"message": "ok", "return": "OK"}, None, 0)
        super().__init__(str(path), Handler)


class Handler(socketserver.StreamRequestHandler):
    def handle(self):
        hello = self.rfile.readline()
        self.server.received.append(hello)
        self.wfile.write(b'{"return": "OK"}\n')
        for line in self.rfile:
            self.server.received.append(line)
            request = json.loads(line)
            self.server.requests.append(request)
            reply, chunk, pause = self.server.reply(request)
            data = (json.dumps(reply) + "\n").encode()
            chunk = chunk or len(data)
            for start in range(0, len(data), chunk):
                self.wfile.write(data[start:start + chunk])
                self.wfile.flush()
                time.sleep(pause)


@pytest.fixture
def server(tmp_path):
    if not os.access(VIGILCTL, os.X_OK):
        pytest.skip(f"vigilctl not built: {VIGILCTL}")
    srv = FakeServer(tmp_path / "vigil-command.socket")
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()


def vigilctl(server_or_path, *args, stdin=None, env=None):
    path = server_or_path if isinstance(server_or_path, (str, pathlib.Path)) \
        else server_or_path.server_address
    command = [str(VIGILCTL), "-s", str(path), *args]
    return subprocess.run(command, capture_output=True, text=True, input=stdin, timeout=30,
                          env=env)


def test_handshake_and_request_bytes(server):
    result = vigilctl(server, "uptime")
    assert result.returncode == 0, result.stderr
    assert server.received[0] == b'{"version":"0.2"}\n'
    assert json.loads(server.received[1]) == {"command": "uptime"}
    assert server.received[1].endswith(b"\n")
    assert result.stdout == "ok\n"


@pytest.mark.parametrize("args,arguments", [
    (["iface-stat", "eth0"], {"iface": "eth0"}),
    (["conf-get", "flow.memcap"], {"variable": "flow.memcap"}),
    (["memcap-show", "flow"], {"config": "flow"}),
    (["memcap-set", "flow", "256mb"], {"config": "flow", "memcap": "256mb"}),
    (["flow-show", "123456789"], {"flow_id": 123456789}),
    (["pcap-file", "/tmp/a.pcap", "/tmp/out"], {"filename": "/tmp/a.pcap", "output-dir": "/tmp/out"}),
    (["flow-list", "src_ip=10.0.0.1", "dest_port=443", "proto=TCP"],
     {"src_ip": "10.0.0.1", "dest_port": 443, "proto": "TCP"}),
])
def test_argument_mapping(server, args, arguments):
    result = vigilctl(server, *args)
    assert result.returncode == 0, result.stderr
    assert server.requests == [{"command": args[0], "arguments": arguments}]


COUNTERS = {
    "uptime": 12,
    "decoder": {"pkts": 1000, "ipv4": 990},
    "flow": {"memuse": 4096, "mgr": {"flows_checked": 3}},
    "threads": {"W#01": {"decoder": {"pkts": 600}}, "W#02": {"decoder": {"pkts": 400}}},
}


def table_rows(text):
    return [[cell.strip() for cell in line.split("|")] for line in text.splitlines()
            if "|" in line]


def test_dump_counters_table(server):
    server.reply = lambda request: ({"message": COUNTERS, "return": "OK"}, None, 0)
    result = vigilctl(server, "dump-counters")
    assert result.returncode == 0, result.stderr
    rows = table_rows(result.stdout)
    assert rows[0] == ["Counter", "TM Name", "Value"]
    assert ["decoder.pkts", "Total", "1000"] in rows
    assert ["flow.mgr.flows_checked", "Total", "3"] in rows
    assert ["decoder.pkts", "W#01", "600"] in rows
    assert ["decoder.pkts", "W#02", "400"] in rows
    assert len(rows) == 1 + 5 + 2


def test_tables_for_lists(server):
    replies = {
        "memcap-list": [{"name": "flow", "value": "128mb"}, {"name": "defrag", "value": "32mb"}],
        "iface-stat": {"pkts": 10, "drop": 1, "invalid-checksums": 0},
        "flow-list": {"count": 1, "truncated": False,
                      "flows": [{"flow_id": 7, "src_ip": "10.0.0.1", "proto": "TCP"}]},
        "conf-get": {"filename": "eve.json", "types": [{"stats": {"totals": "yes"}}, "flow"]},
    }
    server.reply = lambda request: ({"message": replies[request["command"]], "return": "OK"},
                                    None, 0)
    memcaps = table_rows(vigilctl(server, "memcap-list").stdout)
    assert memcaps == [["name", "value"], ["flow", "128mb"], ["defrag", "32mb"]]
    iface = table_rows(vigilctl(server, "iface-stat", "eth0").stdout)
    assert iface == [["Name", "Value"], ["pkts", "10"], ["drop", "1"], ["invalid-checksums", "0"]]
    flows = vigilctl(server, "flow-list")
    assert "count: 1" in flows.stdout
    assert table_rows(flows.stdout) == [["flow_id", "src_ip", "proto"], ["7", "10.0.0.1", "TCP"]]
    mixed = vigilctl(server, "conf-get", "outputs.0.eve-log")
    assert mixed.stdout == 'filename: eve.json\n{"stats":{"totals":"yes"}}\nflow\n'


def test_json_prints_raw_reply(server):
    reply = {"message": COUNTERS, "return": "OK"}
    server.reply = lambda request: (reply, None, 0)
    result = vigilctl(server, "--json", "dump-counters")
    assert result.returncode == 0
    assert json.loads(result.stdout) == reply
    assert len(result.stdout.splitlines()) == 1


def test_exit_codes(server):
    server.reply = lambda request: ({"message": "Interface 'x' not found", "return": "NOK"}, None, 0)
    nok = vigilctl(server, "iface-stat", "x")
    assert nok.returncode == 1
    assert nok.stdout == ""
    assert nok.stderr == "vigilctl: iface-stat: Interface 'x' not found\n"
    assert vigilctl(server, "uptime", "extra").returncode == 2
    assert vigilctl(server, "--no-such-option", "uptime").returncode == 2
    assert vigilctl(server, "flow-list", "=1").returncode == 2
    assert len(server.requests) == 1  # usage errors never reach the server


def test_missing_and_refusing_socket(tmp_path):
    if not os.access(VIGILCTL, os.X_OK):
        pytest.skip(f"vigilctl not built: {VIGILCTL}")
    missing = tmp_path / "none.socket"
    result = vigilctl(missing, "uptime")
    assert result.returncode == 1
    assert result.stderr == (f"vigilctl: cannot connect to {missing}: No such file or directory"
                             " -- is vigil running with unix-command enabled?\n")
    stale = tmp_path / "stale.socket"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(str(stale))  # bound, never listening: a stale socket refuses
    result = vigilctl(stale, "uptime")
    sock.close()
    assert result.returncode == 1
    assert "Connection refused -- is vigil running" in result.stderr


def test_env_socket(server):
    env = dict(os.environ, VIGIL_SOCKET=server.server_address)
    result = subprocess.run([str(VIGILCTL), "version"], capture_output=True, text=True,
                            env=env, timeout=30)
    assert result.returncode == 0, result.stderr
    assert server.requests == [{"command": "version"}]


def test_split_and_large_reply(server):
    counters = {f"counter_{i:05d}": {"value": i, "thread": f"W#{i % 8:02d}"} for i in range(3000)}
    reply = {"message": counters, "return": "OK"}
    assert len(json.dumps(reply)) > 60000
    server.reply = lambda request: (reply, 1500, 0.001)
    result = vigilctl(server, "--json", "dump-counters")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == reply
    table = vigilctl(server, "dump-counters")
    rows = table_rows(table.stdout)
    assert len(rows) == 1 + 2 * 3000
    assert ["counter_02999.value", "Total", "2999"] in rows


def test_interactive_prompt(server):
    server.reply = lambda request: (
        {"message": {"count": 2, "commands": ["uptime", "version"]}, "return": "OK"}
        if request["command"] == "command-list" else
        {"message": request["command"] + " done", "return": "OK"}, None, 0)
    result = vigilctl(server, stdin="uptime\n\nversion\nquit\nuptime\n")
    assert result.returncode == 0, result.stderr
    assert [r["command"] for r in server.requests] == ["command-list", "uptime", "version"]
    assert "uptime done" in result.stdout and "version done" in result.stdout
