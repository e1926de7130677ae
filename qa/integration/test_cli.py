"""The vigil command line as a user meets it: options, exit codes, config
errors naming file and line, replay of directories, broken and unsupported
captures, and flow timeouts applied in packet time."""

import shutil
import subprocess

import pytest

import reference
from conftest import CONFIG, PCAPS
from pcapwrite import tcp_frame, udp_frame, write_pcap

T0 = 1_700_000_000.0


def run_plain(vigil_bin, *args):
    return subprocess.run([str(vigil_bin), *map(str, args)], capture_output=True, text=True, timeout=60)


def test_version_and_build_info(vigil_bin):
    v = run_plain(vigil_bin, "-V")
    assert v.returncode == 0 and v.stdout.startswith("This is Vigil version ")
    b = run_plain(vigil_bin, "--build-info")
    assert b.returncode == 0 and "libpcap" in b.stdout and "libyaml" in b.stdout


def test_help_lists_every_option(vigil_bin):
    h = run_plain(vigil_bin, "-h")
    assert h.returncode == 0
    for option in ("-c", "-r", "-l", "--runmode", "--set", "-T", "-v", "-V", "--build-info"):
        assert option in h.stdout


def test_unknown_option_is_a_usage_error(vigil_bin):
    r = run_plain(vigil_bin, "--no-such-option")
    assert r.returncode == 1 and "Usage" in r.stderr


def test_check_config_passes_on_shipped_config(vigil_bin):
    r = run_plain(vigil_bin, "-T", "-c", CONFIG)
    assert r.returncode == 0, r.stderr


def test_bad_size_names_file_line_and_key(vigil_bin, tmp_path):
    cfg = tmp_path / "bad.yaml"
    cfg.write_text("%YAML 1.1\n---\nflow:\n  hash-size: 1024\n  memcap: 12XB\n")
    r = run_plain(vigil_bin, "-T", "-c", cfg)
    assert r.returncode == 1
    assert f"{cfg}:5: flow.memcap: \"12XB\" is not a size" in r.stderr, r.stderr


def test_bad_set_value_is_refused(vigil_bin):
    r = run_plain(vigil_bin, "-T", "-c", CONFIG, "--set", "flow.memcap=lots")
    assert r.returncode == 1 and "flow.memcap" in r.stderr and "lots" in r.stderr


def test_bad_runmode_is_a_usage_error(run_vigil):
    run = run_vigil("-r", PCAPS / "bug-4903-01.pcap", "--runmode", "turbo")
    assert run.returncode == 1 and "turbo" in run.stderr


def test_missing_log_dir_is_a_usage_error(vigil_bin, tmp_path):
    r = run_plain(vigil_bin, "-c", CONFIG, "-r", PCAPS / "bug-4903-01.pcap", "-l", tmp_path / "nope")
    assert r.returncode == 1 and "nope" in r.stderr


@pytest.mark.parametrize("runmode,workers", [("single", 1), ("autofp", 1), ("autofp", 2)])
def test_setup_failure_is_named_once(run_vigil, runmode, workers):
    """A part that cannot be set up says why, and nothing vaguer follows."""
    run = run_vigil("-r", PCAPS / "bug-4903-01.pcap", "--runmode", runmode,
                    "--set", f"threading.flow-workers={workers}", "--set", "defrag.memcap=1000")
    assert run.returncode == 1
    errors = [line for line in run.stderr.splitlines() if "Error" in line]
    assert len(errors) == 1, run.stderr
    assert "defrag.memcap 1000 bytes is too small for the defrag tables" in errors[0]


def test_missing_capture_is_a_runtime_failure(run_vigil, tmp_path):
    run = run_vigil("-r", tmp_path / "absent.pcap")
    assert run.returncode == 2 and "absent.pcap" in run.stderr


def test_runmode_does_not_change_flows(run_vigil):
    pcap = PCAPS / "smb2-ntlmssp-negotiateflags.pcap"
    single = run_vigil("-r", pcap, "--runmode", "single")
    autofp = run_vigil("-r", pcap, "--runmode", "autofp")
    assert single.returncode == 0 and autofp.returncode == 0
    assert not reference.compare_flows(autofp.records, [dict(r, type="flow", **r["flow"]) for r in single.flows()])


def test_set_overrides_config(run_vigil):
    run = run_vigil("-r", PCAPS / "bug-4903-01.pcap", "--set", "outputs.0.eve-log.filename=other.json")
    assert run.returncode == 0, run.describe()
    assert (run.outdir / "other.json").exists() and not (run.outdir / "eve.json").exists()


def test_directory_replays_files_in_name_order_as_one_capture(run_vigil, tmp_path):
    # The same UDP flow split over two files: one flow, not two.
    d = tmp_path / "caps"
    d.mkdir()
    write_pcap(d / "b.pcap", [(T0 + 1, udp_frame("10.0.0.2", "10.0.0.1", 53, 4000))])
    write_pcap(d / "a.pcap", [(T0, udp_frame("10.0.0.1", "10.0.0.2", 4000, 53))])
    run = run_vigil("-r", d)
    assert run.returncode == 0, run.describe()
    flows = run.flows()
    assert len(flows) == 1
    f = flows[0]
    assert (f["src_ip"], f["src_port"]) == ("10.0.0.1", 4000)
    assert (f["flow"]["pkts_toserver"], f["flow"]["pkts_toclient"]) == (1, 1)
    assert f["flow"]["state"] == "established"


def test_truncated_file_is_named_and_flows_kept(run_vigil, tmp_path):
    pcap = tmp_path / "cut.pcap"
    write_pcap(pcap, [(T0 + i, udp_frame("10.0.0.1", "10.0.0.2", 4000, 53)) for i in range(3)])
    data = pcap.read_bytes()
    pcap.write_bytes(data[:-10])
    run = run_vigil("-r", pcap)
    assert run.returncode == 2
    assert "cut.pcap" in run.stderr
    flows = run.flows()
    assert len(flows) == 1 and flows[0]["flow"]["pkts_toserver"] == 2


def test_unsupported_linktype_warns_once_and_counts_invalid(run_vigil, tmp_path):
    pcap = tmp_path / "user0.pcap"
    write_pcap(pcap, [(T0 + i, b"\x01\x02\x03\x04" * 10) for i in range(5)], linktype=147)
    run = run_vigil("-r", pcap)
    assert run.returncode == 0, run.describe()
    assert run.stderr.count("link type 147") == 1, run.stderr
    assert "invalid 5" in run.stderr
    assert run.flows() == []


def test_idle_flow_times_out_and_tuple_starts_a_new_flow(run_vigil, tmp_path):
    # UDP new-flow timeout is 30 s (Suricata's default): a gap of 100 s ends
    # the first flow with reason timeout; the same tuple then makes a new one.
    pcap = tmp_path / "gap.pcap"
    frames = [(T0, udp_frame("10.0.0.1", "10.0.0.2", 4000, 53)),
              (T0 + 100, udp_frame("10.0.0.1", "10.0.0.2", 4000, 53)),
              (T0 + 101, udp_frame("10.0.0.2", "10.0.0.1", 53, 4000))]
    write_pcap(pcap, frames)
    run = run_vigil("-r", pcap)
    assert run.returncode == 0, run.describe()
    flows = sorted(run.flows(), key=lambda r: r["flow"]["start"])
    assert [f["flow"]["reason"] for f in flows] == ["timeout", "shutdown"]
    assert flows[0]["flow"]["pkts_toserver"] == 1 and flows[0]["flow"]["state"] == "new"
    assert (flows[1]["flow"]["pkts_toserver"], flows[1]["flow"]["pkts_toclient"]) == (1, 1)
    assert flows[0]["flow_id"] != flows[1]["flow_id"]


def test_tcp_states_and_closed_timeout(run_vigil, tmp_path):
    a, b = ("10.1.0.1", 40000), ("10.1.0.2", 80)
    fwd = lambda fl, t: (t, tcp_frame(a[0], b[0], a[1], b[1], fl))
    rev = lambda fl, t: (t, tcp_frame(b[0], a[0], b[1], a[1], fl))
    frames = [fwd(0x02, T0), rev(0x12, T0 + 0.1), fwd(0x10, T0 + 0.2),
              fwd(0x11, T0 + 1), rev(0x11, T0 + 1.1), fwd(0x10, T0 + 1.2),
              # unrelated traffic much later: packet time passes the closed timeout
              # and the manager's slices cover the whole table (one slice a second)
              *[(T0 + 500 + i, udp_frame("10.9.0.1", "10.9.0.2", 1, 2)) for i in range(12)]]
    pcap = tmp_path / "tcp.pcap"
    write_pcap(pcap, frames)
    run = run_vigil("-r", pcap)
    assert run.returncode == 0, run.describe()
    tcp = [f for f in run.flows() if f["proto"] == "TCP"]
    assert len(tcp) == 1
    rec = tcp[0]
    assert rec["flow"]["state"] == "closed" and rec["tcp"]["state"] == "closed"
    assert rec["flow"]["reason"] == "timeout"
    assert rec["tcp"]["tcp_flags_ts"] == "13" and rec["tcp"]["tcp_flags_tc"] == "13"
    assert rec["tcp"]["syn"] and rec["tcp"]["fin"] and rec["tcp"]["ack"]


def test_no_config_file_still_logs_flows(vigil_bin, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    shutil.copy(PCAPS / "bug-4903-01.pcap", tmp_path / "x.pcap")
    r = subprocess.run([str(vigil_bin), "-r", str(tmp_path / "x.pcap"), "-l", str(out)],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert len(reference.load_eve(out / "eve.json")) >= 1


def test_pcapng_gives_the_same_flows_as_pcap(run_vigil, tmp_path):
    editcap = shutil.which("editcap")
    if editcap is None:
        import pytest
        pytest.skip("editcap (Debian package tshark) not installed")
    src = PCAPS / "sip-method.pcap"
    ng = tmp_path / "sip-method.pcapng"
    subprocess.run([editcap, "-F", "pcapng", str(src), str(ng)], check=True, timeout=60)
    classic = run_vigil("-r", src)
    converted = run_vigil("-r", ng)
    assert classic.returncode == 0 and converted.returncode == 0, converted.describe()
    assert len(converted.flows()) == len(classic.flows())
    assert not reference.compare_flows(converted.records, [dict(r, type="flow", **r["flow"]) for r in classic.flows()])
