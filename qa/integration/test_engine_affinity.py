"""threading.cpu-affinity (issue 3): with set-cpu-affinity each thread of a
running vigil sits on its set's CPUs with its set's nice value, as
/proc/PID/task shows; a CPU the kernel refuses gives a warning, not a crash;
a CPU that is not online is a configuration error. Live DPDK threads do not
inherit the EAL main lcore's single CPU (issue 4)."""

import os
import pathlib
import subprocess
import time

import pytest

import pcapwrite
from conftest import CONFIG, PCAPS, VIGIL
from test_dpdk import LiveVigil, _has_dpdk, write_config as write_dpdk_config

MANAGEMENT = ("FM#01", "FR#01", "ST", "CS")
PCAP_HEADER = 24
CGROUP_CPUSET = pathlib.Path("/sys/fs/cgroup/cpuset")


def usable_cpus():
    return sorted(os.sched_getaffinity(0))


needs_two_cpus = pytest.mark.skipif(
    len(usable_cpus()) < 2,
    reason=f"needs 2 CPUs to pin threads apart, this process may use {usable_cpus()}")


def write_capture(path):
    frames = [(1000.0 + i * 0.01, pcapwrite.udp_frame("10.0.0.1", "10.0.0.2", 1000 + i % 4, 53))
              for i in range(40)]
    pcapwrite.write_pcap(path, frames)
    return path


def write_config(tmp_path, threading):
    """The shipped configuration (EVE flow and stats records, so ST runs)
    with the control socket on (CS) and this threading section."""
    config = tmp_path / "vigil.yaml"
    config.write_text(f"""include: {CONFIG}
unix-command:
  enabled: yes
  filename: {tmp_path}/s.sock
threading:
{threading}""")
    return config


def cpu_list(text):
    """'0-2,5' -> [0, 1, 2, 5]."""
    cpus = []
    for item in text.split(","):
        first, _, last = item.partition("-")
        cpus.extend(range(int(first), int(last or first) + 1))
    return cpus


def task_view(pid):
    """{thread name: (CPUs it may run on, nice)} of every thread of pid; the
    main thread is listed as "main"."""
    view = {}
    for task in pathlib.Path(f"/proc/{pid}/task").iterdir():
        try:
            name = (task / "comm").read_text().strip()
            status = (task / "status").read_text()
            stat = (task / "stat").read_text()
        except (FileNotFoundError, ProcessLookupError):
            continue
        allowed = next(line.split(":", 1)[1].strip() for line in status.splitlines()
                       if line.startswith("Cpus_allowed_list:"))
        nice = int(stat.rsplit(")", 1)[1].split()[16])
        view["main" if task.name == str(pid) else name] = (cpu_list(allowed), nice)
    return view


def wait_for(run, ready, timeout=60):
    """The task view of run once ready(view) holds; the last view seen if
    it never does (the test's assertions then say what differs)."""
    deadline = time.monotonic() + timeout
    view = task_view(run.proc.pid)
    while not ready(view) and time.monotonic() < deadline and run.proc.poll() is None:
        time.sleep(0.05)
        view = task_view(run.proc.pid)
    return view


class HeldRun:
    """vigil -v -r on a FIFO that has had only the pcap header: every thread
    is up, waiting for packets, until finish() sends the rest."""

    def __init__(self, tmp_path, config, args=(), prefix=()):
        self.data = write_capture(tmp_path / "capture.pcap").read_bytes()
        fifo = tmp_path / "input.pcap"
        os.mkfifo(fifo)
        command = [*prefix, str(VIGIL), "-v", "-c", str(config), "-l", str(tmp_path),
                   "-r", str(fifo), *args]
        self.proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True)
        self.writer = open(fifo, "wb", buffering=0)
        self.writer.write(self.data[:PCAP_HEADER])
        self.stderr = ""

    def finish(self, timeout=60):
        self.writer.write(self.data[PCAP_HEADER:])
        self.writer.close()
        _, self.stderr = self.proc.communicate(timeout=timeout)
        return self.proc.returncode

    def stop(self):
        """Unbuffered, the writer has nothing left to flush into a closed pipe."""
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.communicate()
        self.writer.close()


@pytest.fixture
def held(tmp_path, vigil_bin):
    runs = []

    def start(config, args=(), prefix=()):
        run = HeldRun(tmp_path, config, args, prefix)
        runs.append(run)
        return run

    yield start
    for run in runs:
        run.stop()


def expect_threads(run, expected):
    """expected: {thread name: (CPUs, nice increment over the main thread)}."""
    def matches(view):
        main_nice = view.get("main", (None, 0))[1]
        return all(view.get(name) == (cpus, main_nice + inc)
                   for name, (cpus, inc) in expected.items())

    view = wait_for(run, matches)
    main_nice = view["main"][1]
    got = {name: (view[name][0], view[name][1] - main_nice) if name in view else None
           for name in expected}
    assert got == expected, f"threads as /proc shows them: {view}"
    return view


def shown(first, second):
    """Two CPUs as a range when they are neighbours, as vigil lists them."""
    return f"{first}-{second}" if second == first + 1 else f"{first},{second}"


def exclusive_config(tmp_path, prio="low"):
    first, second = usable_cpus()[:2]
    workers = f'"{first}-{second}"' if second == first + 1 else f"{first}, {second}"
    return write_config(tmp_path, f"""  flow-workers: 3
  set-cpu-affinity: yes
  cpu-affinity:
    - management-cpu-set:
        cpu: [ {first} ]
    - receive-cpu-set:
        cpu: [ {second} ]
    - worker-cpu-set:
        cpu: [ {workers} ]
        mode: "exclusive"
        prio:
          default: "{prio}"
"""), first, second


@needs_two_cpus
def test_exclusive_workers_take_the_cpus_in_turn(tmp_path, held):
    config, first, second = exclusive_config(tmp_path)
    run = held(config)
    expected = {name: ([first], 0) for name in MANAGEMENT}
    expected.update({
        "RX#01": ([second], 0),
        "W#01": ([first], 2),   # prio low: Suricata's nice +2
        "W#02": ([second], 2),
        "W#03": ([first], 2),   # round robin
    })
    expect_threads(run, expected)
    assert run.finish() == 0, run.stderr
    for name, (cpus, _) in expected.items():
        assert f"vigil: Info: {name}: CPU {cpus[0]} (" in run.stderr, run.stderr
    assert "Warning" not in run.stderr, run.stderr


@needs_two_cpus
def test_balanced_workers_share_the_set(tmp_path, held):
    first, second = usable_cpus()[:2]
    config = write_config(tmp_path, f"""  flow-workers: 2
  set-cpu-affinity: yes
  cpu-affinity:
    - management-cpu-set:
        cpu: [ {second} ]
    - worker-cpu-set:
        cpu: [ {first}, {second} ]
        mode: balanced
""")
    run = held(config)
    expected = {name: ([second], 0) for name in MANAGEMENT}
    expected.update({"W#01": ([first, second], 0), "W#02": ([first, second], 0)})
    expect_threads(run, expected)
    assert run.finish() == 0, run.stderr
    assert f"vigil: Info: W#02: CPUs {shown(first, second)} (worker-cpu-set), nice 0" \
        in run.stderr, run.stderr


@needs_two_cpus
def test_single_runmode_pins_its_thread_as_worker(tmp_path, held):
    second = usable_cpus()[1]
    config = write_config(tmp_path, f"""  set-cpu-affinity: yes
  cpu-affinity:
    - worker-cpu-set:
        cpu: [ {second} ]
""")
    run = held(config, args=("--runmode", "single"))
    expect_threads(run, {"main": ([second], 0)})
    assert run.finish() == 0, run.stderr
    assert f"vigil: Info: W#01: CPU {second} (worker-cpu-set)" in run.stderr, run.stderr


@needs_two_cpus
def test_sets_unused_without_set_cpu_affinity(tmp_path, held):
    config = write_config(tmp_path, """  flow-workers: 2
  set-cpu-affinity: no
  cpu-affinity:
    - management-cpu-set:
        cpu: [ 0 ]
    - worker-cpu-set:
        cpu: [ 0 ]
""")
    run = held(config)
    names = ("RX#01", "W#01", "W#02") + MANAGEMENT
    view = wait_for(run, lambda v: all(name in v for name in names))
    assert {name: view.get(name, (None,))[0] for name in names} == \
        {name: usable_cpus() for name in names}, view
    assert run.finish() == 0, run.stderr
    assert "(worker-cpu-set)" not in run.stderr, run.stderr


@pytest.fixture
def cpuset_of_one_cpu():
    """A cgroup v1 cpuset holding only the first usable CPU; skips where
    cgroups cannot be made (not root, no cpuset hierarchy)."""
    group = CGROUP_CPUSET / f"vigil-affinity-{os.getpid()}"
    try:
        group.mkdir()
    except OSError as e:
        pytest.skip(f"cannot make a cpuset cgroup under {CGROUP_CPUSET}: {e}")
    try:
        (group / "cpuset.cpus").write_text(str(usable_cpus()[0]))
        (group / "cpuset.mems").write_text((CGROUP_CPUSET / "cpuset.mems").read_text().strip())
    except OSError as e:
        group.rmdir()
        pytest.skip(f"cannot set up the cpuset cgroup {group}: {e}")
    yield group
    group.rmdir()


@needs_two_cpus
def test_cpu_outside_the_cgroup_warns_and_runs_on(tmp_path, held, cpuset_of_one_cpu):
    """Online but outside the container's cpuset: EINVAL from the kernel."""
    config, first, second = exclusive_config(tmp_path, prio="medium")
    enter = f'echo $$ > {cpuset_of_one_cpu}/cgroup.procs && exec "$@"'
    run = held(config, prefix=("sh", "-c", enter, "sh"))
    wait_for(run, lambda v: "W#03" in v)
    assert run.finish() == 0, run.stderr
    assert (f"vigil: Warning: RX#01: cannot pin to CPU {second} (receive-cpu-set): "
            f"Invalid argument") in run.stderr, run.stderr
    assert f"vigil: Warning: W#02: cannot pin to CPU {second} (worker-cpu-set)" in run.stderr
    assert f"vigil: Info: W#01: CPU {first} (worker-cpu-set), nice 0" in run.stderr


def test_cpu_not_online_is_a_config_error(tmp_path, vigil_bin):
    if os.cpu_count() > 99:
        pytest.skip("CPU 99 exists here")
    config = write_config(tmp_path, """  set-cpu-affinity: yes
  cpu-affinity:
    - worker-cpu-set:
        cpu: [ 99 ]
""")
    pcap = tmp_path / "capture.pcap"
    write_capture(pcap)
    online = pathlib.Path("/sys/devices/system/cpu/online").read_text().strip()
    message = (f"vigil: {config}:9: threading.cpu-affinity.0.worker-cpu-set.cpu.0: "
               f"CPU 99 is not online (online CPUs: {online})")
    for args in (["-T"], ["-r", str(pcap), "-l", str(tmp_path)]):
        result = subprocess.run([str(vigil_bin), "-c", str(config), *args],
                                capture_output=True, text=True, timeout=60)
        assert result.returncode == 1, result.stderr
        assert message in result.stderr, result.stderr
    assert not (tmp_path / "eve.json").exists()


@needs_two_cpus
@pytest.mark.skipif(not _has_dpdk(), reason="this vigil was built without DPDK")
@pytest.mark.skipif(os.environ.get("VIGIL_SANITIZER") == "tsan",
                    reason="DPDK runs are checked in the normal and ASan suites")
@pytest.mark.parametrize("pinned", [False, True], ids=["unpinned", "pinned"])
def test_dpdk_threads(tmp_path, vigil_bin, pinned):
    """Unpinned, W#01 may use every lcore's CPU (by default all), not only
    the main lcore's CPU that rte_eal_init gives the main thread; pinned, it
    sits on its set's CPU although it registers with DPDK afterwards."""
    first, second = usable_cpus()[:2]
    pcap = PCAPS / "bug-76.pcap"
    if not pcap.exists():
        pytest.skip(f"shared capture missing: {pcap}")
    config = write_dpdk_config(tmp_path / "dpdk.yaml", [f"net_pcap0,rx_pcap={pcap}"], "net_pcap0")
    if pinned:
        with open(config, "a") as f:
            f.write(f"""threading:
  set-cpu-affinity: yes
  cpu-affinity:
    - management-cpu-set: {{cpu: [ {first} ]}}
    - worker-cpu-set: {{cpu: [ {second} ]}}
""")
    outdir = tmp_path / "out"
    outdir.mkdir()
    live = LiveVigil(config, outdir, args=("-v",))
    try:
        live.wait_for_packets(1)
        view = task_view(live.proc.pid)
    finally:
        assert live.stop() == 0, live.stderr
    if pinned:
        assert (view["W#01"][0], view["ST"][0]) == ([second], [first]), view
        assert f"vigil: Info: W#01: CPU {second} (worker-cpu-set)" in live.stderr, live.stderr
    else:
        assert view["W#01"][0] == usable_cpus(), view
        assert "dpdk: Vigil's threads run on the lcores' CPUs" in live.stderr, live.stderr
