"""Driving the agents: the backup host's converge (its rsync daemon), the source host's replicating agent (start,
kill, stop, continue), and the control socket calls."""
import json
import os
import signal
import socket
import subprocess
import time

from . import procs, states
from .status import Counters, find_target

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
AGENT = os.path.join(REPO, "agent", "bin", "agent")


def await_(what, condition, timeout=60.0, interval=0.2, clock=time.monotonic, sleep=time.sleep):
    """Polls condition until it returns a truthy value, which is returned; evaluated once more at the deadline.
    OSError and ValueError (an agent restarting: no socket yet, a cut reply) count as "not yet". AssertionError names
    what, with the last value or error."""
    deadline = clock() + timeout
    last = None
    while True:
        try:
            last = condition()
            if last:
                return last
        except (OSError, ValueError) as e:
            last = e
        now = clock()
        if now >= deadline:
            raise AssertionError("not within %.0f s: %s (last: %r)" % (timeout, what, last))
        sleep(max(0.0, min(interval, deadline - now)))


def call(sock, op, args=None, timeout=30):
    """One request on the control socket; the result, or AssertionError with the agent's error."""
    s = socket.socket(socket.AF_UNIX)
    s.settimeout(timeout)
    try:
        s.connect(sock)
        s.sendall((json.dumps({"v": 1, "id": 1, "op": op, "args": args or {}}) + "\n").encode())
        reply = s.makefile("rb").readline()
    finally:
        s.close()
    reply = json.loads(reply)
    if not reply.get("ok"):
        raise AssertionError("%s: %s" % (op, reply.get("error")))
    return reply["result"]


class Backup:
    """The backup host: `agent apply --converge-only` of its state starts the rsync daemon (daemon: when the state
    has modules; an ssh account only needs no daemon) and makes the ssh account; sshd: its sshd.Sshd, when a watch
    goes over ssh."""

    def __init__(self, ident, host, state, daemon=True):
        self.ident = ident
        self.host = host
        self.state = state
        self.daemon = daemon
        self.sshd = None
        self.pid_file = os.path.join(host.root, "run/rsyncd.pid")

    def converge(self, password=None):
        """Converges the backup host (password: the one the daemon gets for user `backup`); returns the daemon's pid."""
        r = self.host.run(AGENT, "apply", self.state, "--root", self.host.root, "--auto-approve", "--converge-only",
                          env=states.agent_env(self.ident, os.environ, password), check=False)
        assert r.returncode == 0, "backup converge: " + r.stdout.decode() + r.stderr.decode()
        return await_("rsync daemon running", self.daemon_pid, 30, 0.05) if self.daemon else None

    def daemon_pid(self):
        try:
            with open(self.pid_file) as f:
                pid = int(f.read().strip())
            os.kill(pid, 0)
            return pid
        except (OSError, ValueError):
            return None

    def kill_daemon(self):
        pid = self.daemon_pid()
        if pid:
            procs.kill_tree(pid)  # and its receivers (one per connection) mid-transfer: a crash of the daemon
            await_("daemon gone", lambda: self.daemon_pid() is None, 30, 0.05)
            try:
                os.unlink(self.pid_file)
            except FileNotFoundError:
                pass


class Source:
    """The source host's replicating agent (`agent apply STATE`), its log, its control socket."""

    def __init__(self, ident, host, state):
        self.ident = ident
        self.host = host
        self.state = state
        self.log_path = os.path.join(ident.work, "source-agent.log")
        self.sock = host.path(states.SOCKET)
        self.proc = None

    def start(self, synced=True, timeout=120):
        """Starts the agent and waits until it answers; synced: until every target's initial sync succeeded too (not
        when a target may stay paused)."""
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(self.host.cmd(AGENT, "apply", self.state, "--root", self.host.root,
                                                       "--auto-approve"),
                                         stdout=log, stderr=subprocess.STDOUT,
                                         env=states.agent_env(self.ident, os.environ))

        def ready():
            assert self.alive(), "source agent exited %s: %s" % (self.proc.returncode, self.log()[-2000:])
            s = self.status()
            return s if not synced or all(tg["last_success"] for w in s["watches"] for tg in w["targets"]) else None

        await_("source agent %s" % ("ready (initial syncs done)" if synced else "answering"), ready, timeout)

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def kill(self):
        """SIGKILL, as a crash: the rsyncs it started are left running, as they would be."""
        self.proc.kill()
        self.proc.wait()

    def stop(self):
        os.kill(self.proc.pid, signal.SIGSTOP)

    def cont(self):
        if self.alive():
            os.kill(self.proc.pid, signal.SIGCONT)

    def log(self):
        with open(self.log_path, "rb") as f:
            return f.read().decode(errors="replace")

    def call(self, op, args=None):
        return call(self.sock, op, args)

    def status(self):
        return self.call("status")

    def target(self, watch):
        return find_target(self.status(), watch)

    def counters(self, watch):
        return Counters.of(self.target(watch), self.proc.pid)
