"""Issue 5, the server: a real vigil replays a generated capture from a named
pipe the test keeps open (so the run lasts as long as the test wants) with
unix-command enabled, and a small client written from the protocol
description (ctl_support.Client: Suricata's unix socket, 0.2: a version
message, then one JSON command per line, one JSON reply per line) drives every
command, sends malformed input, and runs 50 clients at once while packets flow."""

import json
import os
import re
import subprocess
import threading
import time

import pytest

import reference
from conftest import VIGIL
from ctl_support import SETS, Client, capture, generated, piped  # noqa: F401 (fixtures)
from test_engine_support import generate, needs_pcapgen, needs_vigil, run_vigil

pytestmark = [needs_vigil, needs_pcapgen]

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


CLIENTS = 50
FLOW_ID = re.compile(r'"flow_id":[0-9]+,')
TIMESTAMP = re.compile(r'"timestamp":"[^"]*",')
# What counts the engine's own work rather than the traffic: how bucket walks
# fell (the hash seed is random per run), the recycler's queue, the gauges.
ENGINE_WORK = ("mgr", "wrk", "recycler", "memuse", "spare")


@pytest.fixture(scope="session")
def timeout_probe(tmp_path_factory):
    """70k packets over ten minutes of packet time: most flows time out while
    the capture plays, so the table changes under the clients' walks."""
    pcap, _ = generate(tmp_path_factory.mktemp("ctl-probe"), "probe",
                       ["--timeout-probe", "--seed", "51"])
    return pcap


def seed_free_flow_lines(lines):
    """The flow records exactly as written, sorted, without what the random
    hash seed decides: flow_id (a sequence started from the seed), the order
    (shutdown and timeout passes walk the buckets in hash order) and, on a
    timed-out flow, timestamp (the time of the pass that reached its bucket;
    a bucket busy with a control client is visited next pass by design)."""
    kept = []
    for line in lines:
        record = json.loads(line)
        if record["event_type"] != "flow":
            continue
        text = FLOW_ID.sub("", line, count=1)
        if record["flow"]["reason"] == "timeout":
            text = TIMESTAMP.sub("", text, count=1)
        kept.append(text)
    return sorted(kept)


def traffic_counters(records):
    stats = [r["stats"] for r in records if r["event_type"] == "stats"][-1]
    counters = {k: v for k, v in stats.items() if k != "uptime"}
    counters["flow"] = {k: v for k, v in stats["flow"].items() if k not in ENGINE_WORK}
    return counters


def first_difference(got, want):
    for i, (a, b) in enumerate(zip(got, want)):
        if a != b:
            return f"line {i} of {len(got)} vs {len(want)}:\n  with clients {a}\n  alone        {b}"
    return f"{len(got)} lines with clients, {len(want)} alone"


@pytest.mark.parametrize("runmode", ["single", "autofp"])
def test_concurrent_clients_leave_flows_unchanged(piped, timeout_probe, tmp_path, runmode):
    """CLIENTS clients loop dump-counters and flow-list from before the traffic
    until after its last packet; the flow records must then be byte for byte
    those of a run without clients, apart from what the hash seed (random per
    run, no setting fixes it) decides: seed_free_flow_lines says what that is.
    Two runs without clients, single or autofp, agree on exactly these lines,
    so any change is the clients' doing. The final stats record's traffic
    counters must agree as well."""
    alone = run_vigil(timeout_probe, tmp_path / "alone", runmode)
    assert alone.returncode == 0, alone.describe()
    want_lines = seed_free_flow_lines((tmp_path / "alone" / "eve.json").read_text().splitlines())
    run = piped(pcap=timeout_probe, runmode=runmode)
    run.feed(0.02)
    stop = threading.Event()
    ready = threading.Semaphore(0)
    errors, rounds, flows_seen = [], [0] * CLIENTS, [0]

    def loop(index):
        try:
            c = Client(run.socket, timeout=120)
            while not stop.is_set():
                counters = c.command("dump-counters")
                listed = c.command("flow-list", limit=50)
                for reply in (counters, listed):
                    if reply is None or reply["return"] != "OK":
                        errors.append(reply)
                        return
                if listed["message"]["count"] != len(listed["message"]["flows"]):
                    errors.append(listed)
                    return
                flows_seen[0] += listed["message"]["count"]
                rounds[index] += 1
                if rounds[index] == 1:
                    ready.release()
            c.close()
        except OSError as e:
            errors.append(repr(e))
        finally:
            if rounds[index] == 0:
                ready.release()

    threads = [threading.Thread(target=loop, args=(i,)) for i in range(CLIENTS)]
    for t in threads:
        t.start()
    for _ in threads:
        assert ready.acquire(timeout=120), "a client never completed its first round"
    assert not errors, errors[:3]
    before = list(rounds)
    run.feed(1.0, pause=0.01)
    stop.set()
    for t in threads:
        t.join(120)
    assert not errors, errors[:3]
    assert all(after > first for after, first in zip(rounds, before)), \
        "every client kept asking while the packets flowed"
    assert flows_seen[0] > 0, "flow-list saw the live flows"
    assert run.finish() == 0, run.stderr
    got_lines = seed_free_flow_lines(run.eve_lines())
    assert len(want_lines) == len(reference.eve_flows(alone.records))
    assert got_lines == want_lines, first_difference(got_lines, want_lines)
    assert traffic_counters(run.records()) == traffic_counters(alone.records)


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
