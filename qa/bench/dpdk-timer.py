#!/usr/bin/env python3
"""Times one Vigil run for qa/bench/dpdk-vs-offline.sh from the lines Vigil
writes on stderr (run it with -v), so start-up and tear-down of DPDK's EAL
and ports stay out of the numbers.

  dpdk-timer.py offline LOG -- vigil -v ... -r FILE
      prints: seconds from exec to the run summary (the -r run's whole work)
  dpdk-timer.py dpdk LOG SOCKET PACKETS TIMEOUT_S POLL_MS -- vigil -v ... --dpdk
      prints: start-up receive drain, in seconds: exec to the runmode's
      "workers:" line (EAL, ports, engine), that line to the first telemetry
      poll that sees the port's ipackets reach PACKETS, then SIGTERM to the
      run summary (last bursts, every flow logged, EVE closed)
"""

import json
import signal
import socket
import subprocess
import sys
import threading
import time

START_MARK = "workers: "
END_MARK = "Vigil run summary"


class VigilRun:
    """The process, its stderr copied to a log, and when the marks came."""

    def __init__(self, cmd, log_path):
        self.marks = {}
        self.log = open(log_path, "w")
        self.t0 = time.monotonic()
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                     text=True, bufsize=1)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.proc.stderr:
            now = time.monotonic()
            self.log.write(line)
            if START_MARK in line:
                self.marks.setdefault("start", now)
            if line.startswith(END_MARK):
                self.marks.setdefault("end", now)
        self.log.close()

    def fail(self, why):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        sys.exit("bench-dpdk: %s (log: %s)" % (why, self.log.name))

    def finish(self):
        rc = self.proc.wait()
        self.reader.join()
        if rc != 0:
            sys.exit("bench-dpdk: vigil exited with %d (log: %s)" % (rc, self.log.name))
        if "end" not in self.marks:
            sys.exit("bench-dpdk: no run summary from vigil (log: %s)" % self.log.name)


def run_offline(log_path, cmd):
    run = VigilRun(cmd, log_path)
    run.finish()
    print("%.6f" % (run.marks["end"] - run.t0))


def wait_for(run, what, ready, timeout_s):
    while not ready():
        if run.proc.poll() is not None:
            run.fail("vigil exited with %d before %s" % (run.proc.returncode, what))
        if time.monotonic() - run.t0 > timeout_s:
            run.fail("timed out waiting for " + what)
        time.sleep(0.0005)


def connect(run, sock_path, timeout_s):
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    while True:
        try:
            sock.connect(sock_path)
            sock.recv(1024)
            return sock
        except OSError:
            if time.monotonic() - run.t0 > timeout_s:
                run.fail("no telemetry socket at " + sock_path)
            time.sleep(0.001)


def ipackets(sock):
    sock.send(b"/ethdev/stats,0")
    return json.loads(sock.recv(1 << 16))["/ethdev/stats"]["ipackets"]


def run_dpdk(log_path, sock_path, packets, timeout_s, poll_s, cmd):
    run = VigilRun(cmd, log_path)
    wait_for(run, "the runmode started", lambda: "start" in run.marks, timeout_s)
    sock = connect(run, sock_path, timeout_s)
    while ipackets(sock) < packets:
        if run.proc.poll() is not None:
            run.fail("vigil exited while capturing")
        if time.monotonic() - run.t0 > timeout_s:
            run.fail("the port received fewer than %d packets in %.0f s" % (packets, timeout_s))
        time.sleep(poll_s)
    received = time.monotonic()
    sock.close()
    run.proc.send_signal(signal.SIGTERM)
    run.finish()
    start = run.marks["start"]
    print("%.6f %.6f %.6f" % (start - run.t0, received - start, run.marks["end"] - received))


def main(argv):
    if "--" not in argv:
        sys.exit(__doc__)
    split = argv.index("--")
    args, cmd = argv[1:split], argv[split + 1:]
    if args and args[0] == "offline" and len(args) == 2:
        run_offline(args[1], cmd)
    elif args and args[0] == "dpdk" and len(args) == 6:
        run_dpdk(args[1], args[2], int(args[3]), float(args[4]), float(args[5]) / 1000.0, cmd)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
