"""Issue 5 through the real client: build/vigilctl drives a running vigil (a
replay fed from a named pipe the test holds open, and a DPDK net_pcap port),
every command, and what it prints must carry the engine's real values: the
tables and lines against the --json reply, the replies against what the test
knows (vigil -V, the --runmode and --set given, the flows it fed)."""

import json
import math
import os
import re
import struct
import subprocess
import time

import pytest

import pcapwrite
import reference
from conftest import VIGIL, VIGILCTL
from ctl_support import SETS, capture, generated, pcap_records, piped  # noqa: F401 (fixtures)
from test_dpdk import LiveVigil, _has_dpdk, write_config
from test_engine_support import eve_time_us, needs_pcapgen, needs_vigil
from test_vigilctl import table_rows

needs_vigilctl = pytest.mark.skipif(not os.access(VIGILCTL, os.X_OK),
                                    reason=f"vigilctl not built: {VIGILCTL}")
pytestmark = [needs_vigil, needs_pcapgen, needs_vigilctl]

# autofp hands packets to its workers in batches of 64 frames: a flow whose
# first packet lies this many packets before the end of what was fed is in
# the table once the engine has caught up.
HANDED_ON = 128


def vigilctl(socket, *args, stdin=None):
    return subprocess.run([str(VIGILCTL), "-s", str(socket), *args], capture_output=True,
                          text=True, input=stdin, timeout=60)


def ok(socket, *args):
    """vigilctl's stdout for a command the engine must accept (exit 0, no stderr)."""
    result = vigilctl(socket, *args)
    assert (result.returncode, result.stderr) == (0, ""), f"vigilctl {' '.join(args)}"
    return result.stdout


def ok_json(socket, *args):
    reply = json.loads(ok(socket, "--json", *args))
    assert reply["return"] == "OK", reply
    return reply["message"]


def refused(socket, *args):
    """The reason vigilctl prints for a command the engine refuses (exit 1)."""
    result = vigilctl(socket, *args)
    assert result.returncode == 1, f"vigilctl {' '.join(args)}: {result.stdout}"
    assert result.stdout == ""
    prefix = f"vigilctl: {args[0]}: "
    assert result.stderr.startswith(prefix) and result.stderr.endswith("\n"), result.stderr
    return result.stderr[len(prefix):-1]


def cell(value):
    """A JSON value as vigilctl shows it in a table cell or a listing line."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return str(value)
    return json.dumps(value, separators=(",", ":"))


def leaves(obj, prefix=""):
    for key, value in obj.items():
        name = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            yield from leaves(value, name)
        else:
            yield name, value


def counter_rows(counters):
    """The rows vigilctl's dump-counters table must show: totals, then each thread."""
    totals = {k: v for k, v in counters.items() if k != "threads"}
    rows = [[name, "Total", cell(value)] for name, value in leaves(totals)]
    for thread, values in counters.get("threads", {}).items():
        rows += [[name, thread, cell(value)] for name, value in leaves(values)]
    return rows


def without_uptime(counters):
    return {k: v for k, v in counters.items() if k != "uptime"}


def live_flow(ref, records, fed):
    """An IPv4 TCP flow of the reference whose first packet was handed on and
    whose last packet is not fed yet: alive in the engine while the test talks."""
    handed_on_us = records[fed - HANDED_ON][1]
    last_fed_us = records[fed - 1][1]
    for flow in reference.reference_flows(ref):
        if (flow["proto"] == 6 and ":" not in flow["src_ip"]
                and eve_time_us(flow["start"]) < handed_on_us
                and eve_time_us(flow["end"]) > last_fed_us):
            return flow
    pytest.fail("the capture has no flow open across the point fed")


def flow_filter(flow):
    return [f"src_ip={flow['src_ip']}", f"dest_ip={flow['dest_ip']}",
            f"src_port={flow['src_port']}", f"dest_port={flow['dest_port']}", "proto=TCP"]


def wait_for_steady(read, describe, ready=lambda value: True, timeout=60):
    """Calls read() until two calls in a row agree on a value that is ready."""
    deadline = time.monotonic() + timeout
    previous = read()
    while True:
        time.sleep(0.2)
        current = read()
        if current == previous and ready(current):
            return current
        assert time.monotonic() < deadline, f"{describe} never settled: {current}"
        previous = current


def wait_for_engine(socket, proc, timeout=60):
    """Until the control socket answers with an engine attached to it."""
    deadline = time.monotonic() + timeout
    while vigilctl(socket, "dump-counters").returncode != 0:
        assert proc.poll() is None, "vigil exited before serving its control socket"
        assert time.monotonic() < deadline, f"no control socket at {socket}"
        time.sleep(0.2)


def check_introspection(sock, started):
    names = ok_json(sock, "command-list")["commands"]
    assert ok(sock, "command-list").splitlines() == [f"count: {len(names)}", *names]
    assert {"shutdown", "command-list", "help", "version", "uptime", "running-mode",
            "capture-mode", "conf-get", "dump-counters", "reopen-log-files", "iface-list",
            "iface-stat", "memcap-set", "memcap-show", "memcap-list", "flow-list",
            "flow-show"} <= set(names)
    described = ok_json(sock, "help")
    assert list(described) == names
    assert table_rows(ok(sock, "help")) == [["Name", "Value"],
                                           *[[k, v] for k, v in described.items()]]
    version = ok(sock, "version")
    assert version == f"{ok_json(sock, 'version')}\n"
    banner = subprocess.run([str(VIGIL), "-V"], capture_output=True, text=True).stdout
    assert banner.split()[-1] == version.strip()
    first = int(ok(sock, "uptime"))
    second = int(ok(sock, "uptime"))
    assert 0 <= first <= second <= math.ceil(time.monotonic() - started)
    assert ok(sock, "running-mode") == "autofp\n"
    assert ok(sock, "capture-mode") == "PCAP_FILE\n"
    prompt = vigilctl(sock, stdin="running-mode\nquit\n")
    assert prompt.returncode == 0 and "autofp\n" in prompt.stdout, prompt


def check_conf_get(sock):
    assert ok(sock, "conf-get", "stats.interval") == "1\n", "the --set value, not the file's 8"
    eve = ok_json(sock, "conf-get", "outputs.0.eve-log")
    assert eve["filename"] == "eve.json" and "flow" in eve["types"]
    assert {"stats": {"totals": "yes", "threads": "yes", "deltas": "no"}} in eve["types"]
    lines = [f"{key}: {cell(value)}" for key, value in eve.items() if key != "types"]
    lines += [cell(item) for item in eve["types"]]
    assert ok(sock, "conf-get", "outputs.0.eve-log").splitlines() == lines
    assert refused(sock, "conf-get", "no.such.key") == "Unable to get value"


def check_dump_counters(sock):
    """Once the engine is idle: the table read between two equal --json replies
    shows the same moment, every counter with its value."""
    def read():
        before = ok_json(sock, "dump-counters")
        table = table_rows(ok(sock, "dump-counters"))
        after = ok_json(sock, "dump-counters")
        return without_uptime(before), table, without_uptime(after)

    _, table, counters = wait_for_steady(read, "dump-counters", lambda r: r[0] == r[2])
    assert {"decoder", "flow", "tcp", "threads"} <= set(counters)
    assert {"RX#01", "W#01", "FM#01"} <= set(counters["threads"])
    assert counters["decoder"]["pkts"] > 0 and counters["flow"]["active"] > 0
    assert table[0] == ["Counter", "TM Name", "Value"]
    shown = [row for row in table[1:] if row[0] != "uptime"]
    assert shown == counter_rows(counters)
    return counters


def check_interfaces(sock):
    assert ok(sock, "iface-list") == "count: 0\n"
    assert ok_json(sock, "iface-list") == {"count": 0, "ifaces": []}
    assert refused(sock, "iface-stat", "eth0") == "Interface not found"


def check_memcaps(sock, memuse):
    memcaps = ok_json(sock, "memcap-list")
    assert table_rows(ok(sock, "memcap-list")) == [["name", "value"],
                                                  *[[m["name"], m["value"]] for m in memcaps]]
    configured = ok(sock, "conf-get", "flow.memcap").strip()
    assert {m["name"]: m["value"] for m in memcaps}["flow"] == configured
    assert table_rows(ok(sock, "memcap-show", "flow")) == [["Name", "Value"], ["value", configured]]
    reason = refused(sock, "memcap-set", "flow", "1kb")
    found = re.fullmatch(r"memcap value specified for 'flow' is less than the memory in use: "
                         r"(\d+)(kb|mb|gb)", reason)
    assert found, reason
    unit = 1 << {"kb": 10, "mb": 20, "gb": 30}[found[2]]
    assert int(found[1]) * unit <= memuse < (int(found[1]) + 1) * unit
    assert ok_json(sock, "memcap-show", "flow") == {"value": configured}, "refused: unchanged"
    assert ok(sock, "memcap-set", "flow", "256mb") == \
        f"memcap value for 'flow' updated: {256 << 20} \n"
    assert ok_json(sock, "memcap-show", "flow") == {"value": "256mb"}
    assert {m["name"]: m["value"] for m in ok_json(sock, "memcap-list")}["flow"] == "256mb"


def check_live_flow(sock, flow, last_fed_us):
    """flow-list finds the flow the test knows is open, with what was fed of it;
    flow-show shows the same; the tables carry the --json values."""
    def read():
        listed = ok_json(sock, "flow-list", *flow_filter(flow))
        return listed, ok(sock, "flow-list", *flow_filter(flow))

    listed, text = wait_for_steady(read, "flow-list of the open flow",
                                   lambda r: r[0]["count"] > 0)
    assert (listed["count"], listed["truncated"]) == (1, False), listed
    live = listed["flows"][0]
    lines = text.splitlines()
    assert lines[:2] == ["count: 1", "truncated: false"]
    assert table_rows(text) == [list(live), [cell(v) for v in live.values()]]
    assert (live["src_ip"], live["dest_ip"], live["src_port"], live["dest_port"], live["proto"]) \
        == (flow["src_ip"], flow["dest_ip"], flow["src_port"], flow["dest_port"], "TCP")
    assert live["start"] == flow["start"]
    assert eve_time_us(flow["start"]) <= eve_time_us(live["last"]) <= last_fed_us
    seen = live["pkts_toserver"] + live["pkts_toclient"]
    assert 0 < seen < flow["pkts_toserver"] + flow["pkts_toclient"], "open: not all of it fed"
    shown = ok_json(sock, "flow-show", str(live["flow_id"]))
    assert shown == live
    assert table_rows(ok(sock, "flow-show", str(live["flow_id"]))) == \
        [["Name", "Value"], *[[k, cell(v)] for k, v in live.items()]]
    assert refused(sock, "flow-show", "1") == "Flow not found"
    return live


def test_every_command_through_vigilctl(piped, generated):
    """autofp replays 40% of the capture and waits on its pipe; flow-list must
    find a flow the test knows is open there (started well before that point,
    ending after it). shutdown comes last and vigil exits 0."""
    _, ref = generated
    # Two workers whatever auto gives here: RX#01 then decodes and has
    # counters of its own in dump-counters.
    run = piped(runmode="autofp", sets=SETS + ["threading.flow-workers=2"])
    records = pcap_records(run.data)
    fed = len(records) * 2 // 5
    run.feed_bytes(records[fed - 1][0])
    flow = live_flow(ref, records, fed)

    sock = run.socket
    wait_for_engine(sock, run.proc)
    check_introspection(sock, run.started)
    check_conf_get(sock)
    counters = check_dump_counters(sock)
    check_interfaces(sock)
    check_memcaps(sock, counters["flow"]["memuse"])
    live = check_live_flow(sock, flow, records[fed - 1][1])
    (run.outdir / "eve.json").rename(run.outdir / "eve.json.1")
    assert ok(sock, "reopen-log-files") == "done\n"
    assert refused(sock, "no-such-command") == "Unknown command"
    assert ok(sock, "shutdown") == "Closing Vigil\n"
    try:
        run.feed(1.0)
        run.writer.close()
    except BrokenPipeError:
        pass
    assert run.proc.wait(timeout=60) == 0, run.proc.stderr.read()
    gone = vigilctl(sock, "uptime")
    assert gone.returncode == 1 and "is vigil running with unix-command enabled?" in gone.stderr

    logged = [r for r in run.records() if r["event_type"] == "flow"]
    assert all(r["event_type"] != "flow" for r in reference.load_eve(run.outdir / "eve.json.1")), \
        "no flow had ended before the reopen"
    mine = [r for r in logged if r["flow_id"] == live["flow_id"]]
    assert len(mine) == 1, "the flow flow-list showed is logged once, with its flow_id"
    assert (mine[0]["src_ip"], mine[0]["src_port"], mine[0]["flow"]["start"]) == \
        (live["src_ip"], live["src_port"], live["start"])
    assert mine[0]["flow"]["pkts_toserver"] >= live["pkts_toserver"]


# The end of a run on a live port: net_pcap replays the capture and then idles,
# and its worker publishes its counters once a second while idle.
needs_dpdk = pytest.mark.skipif(not _has_dpdk(),
                                reason="this vigil was built without DPDK (libdpdk-dev missing)")

ARP_REQUEST = struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 1, b"\x66\x77\x88\x99\xaa\xbb",
                          bytes([10, 0, 0, 1]), bytes(6), bytes([172, 16, 0, 1]))


def with_quiet_tail(data, gap=7200, seconds=30):
    """The capture and then, two hours of packet time later (past every flow
    timeout), an ARP request a second for seconds: frames that make no flow
    but move packet time on, so the timeout passes sweep every flow out."""
    last = pcap_records(data)[-1][1] // 1000000
    frame = pcapwrite.ethernet(ARP_REQUEST, ethertype=0x0806)
    tail = b"".join(struct.pack("<IIII", last + gap + i, 0, len(frame), len(frame)) + frame
                    for i in range(seconds))
    return data + tail


@needs_dpdk
def test_dump_counters_at_the_end_of_a_run_equal_the_final_stats_record(generated, tmp_path):
    """The last dump-counters of a run, once every packet is counted and every
    flow has ended, equals the stats record vigil writes as it exits: the
    operator and the SIEM see the same final numbers, per thread too. Apart
    from uptime, only flow.spare may grow after it: the workers' own spare
    flows go back to the pool as they stop.

    A -r replay cannot show this: it publishes at each second of packet time,
    so the packets since the last such second stay unpublished while the
    input idles, and when the input ends the control socket lets go of the
    engine before the final record. A net_pcap port is live: its idle worker
    publishes on the clock."""
    pcap = tmp_path / "quiet-tail.pcap"
    pcap.write_bytes(with_quiet_tail(generated[0].read_bytes()))
    frames = len(pcap_records(pcap.read_bytes()))
    config = write_config(tmp_path / "end.yaml", [f"net_pcap0,rx_pcap={pcap}"], "net_pcap0",
                          eve_types="[flow, {stats: {threads: yes}}]")
    outdir = tmp_path / "out"
    outdir.mkdir()
    live = LiveVigil(config, outdir)
    sock = tmp_path / "end.sock"
    try:
        wait_for_engine(sock, live.proc)
        counters = wait_for_steady(
            lambda: without_uptime(ok_json(sock, "dump-counters")),
            "every packet counted and every flow ended",
            lambda c: (c["capture"]["kernel_packets"] == c["decoder"]["pkts"] == frames
                       and c["flow"]["active"] == 0), timeout=120)
        assert "W#01" in counters["threads"]
        assert ok(sock, "shutdown") == "Closing Vigil\n"
        _, live.stderr = live.proc.communicate(timeout=60)
    finally:
        if live.proc.poll() is None:
            live.proc.kill()
            live.proc.wait()
    assert live.proc.returncode == 0, live.stderr[-3000:]
    records = reference.load_eve(outdir / "eve.json")
    flows = reference.eve_flows(records)
    assert len(flows) == len(reference.reference_flows(generated[1]))
    assert {r["flow"]["reason"] for r in flows} == {"timeout"}
    final = without_uptime([r["stats"] for r in records if r["event_type"] == "stats"][-1])
    assert final["flow"]["spare"] >= counters["flow"]["spare"]
    for stats in (final, counters):
        del stats["flow"]["spare"]
    assert counter_rows(counters) == counter_rows(final)
