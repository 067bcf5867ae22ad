#!/usr/bin/env python3
"""The two-host fault and security suite (make reliability).

A source host and a backup host are two network namespaces made here, joined by a veth pair whose addresses exist only
inside them. Each host is a holder process (`ip netns exec NS sleep`) whose network and mount namespaces every command
of that host enters with nsenter; a host's files live under its own --root. The backup host's agent converges an rsync
daemon; the source host's agent replicates to it. Faults are injected one after another; each check ends by comparing
target and source (paths, types, sizes, content hashes, link targets) or by finding the missing changes in the status.

Needs root, iproute2, util-linux (nsenter, unshare), rsync, python3. Run: make reliability (SOAK_SECONDS, ONLY=a,b).
"""
import hashlib
import json
import os
import random
import signal
import socket
import stat
import subprocess
import sys
import time
import traceback

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
AGENT = os.path.join(REPO, "agent", "bin", "agent")
PASSWORD = "Fault-Secret-%d-q7" % os.getpid()
PASSWORD2 = "Other-Secret-%d-k3" % os.getpid()
TAG = "flt%d" % (os.getpid() % 100000)
NET = "10.231.%d" % (os.getpid() % 250 + 1)
SRC_IP, BAK_IP = NET + ".1", NET + ".2"
WORK = "/tmp/faults.%d" % os.getpid()
SOAK_SECONDS = int(os.environ.get("SOAK_SECONDS", "600"))
RESULTS = []  # rows of the report table


def log(msg):
    print(time.strftime("%H:%M:%S ") + msg, flush=True)


def sh(*argv, check=True, env=None, input=None, timeout=120):
    r = subprocess.run(list(argv), capture_output=True, env=env, input=input, timeout=timeout)
    if check and r.returncode != 0:
        raise AssertionError("%s exited %d: %s" % (" ".join(argv), r.returncode, r.stderr.decode(errors="replace")))
    return r


def await_(what, condition, timeout=60.0, interval=0.2):
    """Polls condition until it returns a truthy value; its last value is returned, or an AssertionError names what."""
    deadline = time.time() + timeout
    last = None
    while time.time() < deadline:
        last = condition()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError("not within %.0f s: %s (last: %r)" % (timeout, what, last))


# ---------------------------------------------------------------- topology

class Host:
    """A network + mount namespace held by a sleeping process; files under WORK/<name> (the agent's --root)."""

    def __init__(self, name):
        self.name = name
        self.ns = TAG + name[0]
        self.veth = "v" + TAG + name[0]
        self.root = os.path.join(WORK, name)
        self.holder = None
        self.agent = None
        self.agent_log = None

    def start(self):
        sh("ip", "netns", "add", self.ns)
        self.holder = subprocess.Popen(["ip", "netns", "exec", self.ns, "sleep", "infinity"])
        await_("holder of " + self.ns, lambda: os.readlink("/proc/%d/ns/net" % self.holder.pid)
               != os.readlink("/proc/self/ns/net"), 10, 0.05)

    def cmd(self, *argv):
        return ["nsenter", "-t", str(self.holder.pid), "-m", "-n", "--"] + list(argv)

    def run(self, *argv, check=True, env=None, input=None, timeout=120):
        return sh(*self.cmd(*argv), check=check, env=env, input=input, timeout=timeout)

    def path(self, rel):
        """A file of this host as its own mount namespace sees it (tmpfs mounts included)."""
        return "/proc/%d/root%s/%s" % (self.holder.pid, self.root, rel.lstrip("/"))

    def socket(self):
        return self.path("run/agent/agent.sock")


def agent_env(password=PASSWORD, password2=PASSWORD2):
    env = dict(os.environ, LANG="C.UTF-8", FAULTS_PASSWORD=password, FAULTS_PASSWORD2=password2)
    return env


class Topology:
    def __init__(self):
        self.src = Host("source")
        self.bak = Host("backup")

    def up(self):
        os.makedirs(WORK)
        for h in (self.src, self.bak):
            h.start()
        sh("ip", "link", "add", self.src.veth, "type", "veth", "peer", "name", self.bak.veth)
        for h, ip in ((self.src, SRC_IP), (self.bak, BAK_IP)):
            sh("ip", "link", "set", h.veth, "netns", h.ns)
            sh("ip", "-n", h.ns, "addr", "add", ip + "/24", "dev", h.veth)
            sh("ip", "-n", h.ns, "link", "set", h.veth, "up")
            sh("ip", "-n", h.ns, "link", "set", "lo", "up")

    def link(self, up):
        sh("ip", "-n", self.src.ns, "link", "set", self.src.veth, "up" if up else "down")

    def down(self):
        """Everything this suite started, by PID, then the namespaces (the veth goes with them)."""
        for h in (self.src, self.bak):
            if h.agent and h.agent.poll() is None:
                h.agent.kill()
                h.agent.wait()
        kill_daemon(self.bak)
        for h in (self.src, self.bak):
            if h.holder:
                for mnt in ("srv/small", "srv/guarded"):
                    subprocess.run(h.cmd("umount", "-l", os.path.join(h.root, mnt)), capture_output=True)
                kill_tree(h.holder.pid)
                h.holder.wait()
            subprocess.run(["ip", "netns", "del", h.ns], capture_output=True)
        subprocess.run(["rm", "-rf", WORK])


def children(pid):
    out = []
    for p in os.listdir("/proc"):
        if p.isdigit():
            try:
                with open("/proc/%s/stat" % p) as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == pid:
                        out.append(int(p))
            except (OSError, IndexError, ValueError):
                pass
    return out


def kill_tree(pid, sig=signal.SIGKILL):
    for c in children(pid):
        kill_tree(c, sig)
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        pass


def daemon_pid(bak):
    try:
        with open(os.path.join(bak.root, "run/rsyncd.pid")) as f:
            pid = int(f.read().strip())
        os.kill(pid, 0)
        return pid
    except (OSError, ValueError):
        return None


def kill_daemon(bak):
    pid = daemon_pid(bak)
    if pid:
        kill_tree(pid)
        await_("daemon gone", lambda: daemon_pid(bak) is None, 10, 0.05)
        try:
            os.unlink(os.path.join(bak.root, "run/rsyncd.pid"))
        except FileNotFoundError:
            pass


# ---------------------------------------------------------------- state files

def backup_state():
    modules = "\n".join(
        "    - { name: %s, path: /srv/%s, auth_users: [%s], hosts_allow: [%s]%s }" % m for m in [  # allow wins over deny
            ("data", "data", "backup", SRC_IP, ""),
            ("other", "other", "other", SRC_IP, ""),
            ("small", "small", "backup", SRC_IP, ""),
            ("guarded", "guarded", "backup", SRC_IP, ""),
            ("flood", "flood", "backup", SRC_IP, ""),
            ("hostile", "hostile", "backup", SRC_IP, ""),
            ("soak", "soak", "backup", SRC_IP, ""),
            ("ro", "ro", "backup", SRC_IP, ", read_only: true"),
            ("denied", "denied", "backup", "", ", hosts_deny: [%s]" % SRC_IP),
            ("elsewhere", "elsewhere", "backup", NET + ".99", ""),
        ])
    return """version: 1
%sserver:
  config_file: /etc/rsyncd.conf
  secrets_file: /etc/rsyncd.secrets
  pid_file: /run/rsyncd.pid
  lock_file: /run/rsyncd.lock
  log_file: /var/log/rsyncd.log
  address: %s
  port: 873
  run_as: root
  users:
    - { name: backup, password: { env: FAULTS_PASSWORD } }
    - { name: other, password: { env: FAULTS_PASSWORD2 } }
  modules:
%s
""" % (SETTINGS, BAK_IP, modules)


SETTINGS = """settings:
  state_dir: /var/lib/agent
  status_file: /var/lib/agent/status.json
  control_socket: /run/agent/agent.sock
"""  # both hosts keep their agent files at the same (re-rooted) places


WATCHES = [  # name, module, user, max_delete
    ("main", "data", "backup", 0),
    ("side", "other", "other", 0),
    ("fill", "small", "backup", 0),
    ("guarded", "guarded", "backup", 50),
    ("flood", "flood", "backup", 0),
    ("hostile", "hostile", "backup", 0),
    ("soak", "soak", "backup", 0),
]


def source_state():
    watches = "".join("""  - name: %s
    source: /srv/%s
    targets: [ { name: %s, url: "rsync://%s@%s/%s", password_file: /etc/rsync.%s } ]
    delay: 200ms
    max_delete: %d
    rsync: { timeout: 10s }
""" % (name, name, module, user, BAK_IP, module, user, guard) for name, module, user, guard in WATCHES)
    return """version: 1
%sclient:
  password_files:
    - { path: /etc/rsync.backup, password: { env: FAULTS_PASSWORD } }
    - { path: /etc/rsync.other, password: { env: FAULTS_PASSWORD2 } }
watches:
%s""" % (SETTINGS, watches)


def write_states(t):
    for h, text in ((t.bak, backup_state()), (t.src, source_state())):
        os.makedirs(h.root, exist_ok=True)
        with open(os.path.join(WORK, h.name + ".yaml"), "w") as f:
            f.write(text)
        os.chmod(os.path.join(WORK, h.name + ".yaml"), 0o600)
    for name, *_ in WATCHES:
        os.makedirs(os.path.join(t.src.root, "srv", name), exist_ok=True)


def state_file(h):
    return os.path.join(WORK, h.name + ".yaml")


def converge_backup(t, password=PASSWORD):
    r = t.bak.run(AGENT, "apply", state_file(t.bak), "--root", t.bak.root, "--auto-approve", "--converge-only",
                  env=agent_env(password), check=False)
    assert r.returncode == 0, "backup converge: " + r.stdout.decode() + r.stderr.decode()
    await_("rsync daemon running", lambda: daemon_pid(t.bak), 10, 0.05)
    return r


def start_agent(t):
    h = t.src
    h.agent_log = open(os.path.join(WORK, "source-agent.log"), "ab")
    h.agent = subprocess.Popen(h.cmd(AGENT, "apply", state_file(h), "--root", h.root, "--auto-approve"),
                               stdout=h.agent_log, stderr=subprocess.STDOUT, env=agent_env())

    def ready():
        assert h.agent.poll() is None, "source agent exited %s: %s" % (h.agent.returncode, read_log())
        try:
            s = status(t)
        except OSError:
            return False
        return all(tg["last_success"] for w in s["watches"] for tg in w["targets"] if w["name"] != "fill")

    await_("source agent ready (initial syncs done)", ready, 90)


def read_log():
    with open(os.path.join(WORK, "source-agent.log"), "rb") as f:
        return f.read().decode(errors="replace")


def call(t, op, args=None):
    s = socket.socket(socket.AF_UNIX)
    s.settimeout(30)
    try:
        s.connect(t.src.socket())
        s.sendall((json.dumps({"v": 1, "id": 1, "op": op, "args": args or {}}) + "\n").encode())
        buf = b""
        while not buf.endswith(b"\n"):
            chunk = s.recv(65536)
            if not chunk:
                break
            buf += chunk
    finally:
        s.close()
    reply = json.loads(buf)
    if not reply.get("ok"):
        raise AssertionError("%s: %s" % (op, reply.get("error")))
    return reply["result"]


def status(t):
    return call(t, "status")


def target(t, watch):
    for w in status(t)["watches"]:
        if w["name"] == watch:
            return dict(w["targets"][0], watch=w)
    raise AssertionError("no watch " + watch)


# ---------------------------------------------------------------- trees

def tree(root, hashes=True):
    """{relative bytes path: (kind, size, hash-or-link)} of everything under root, root itself excluded."""
    out = {}
    broot = os.fsencode(root)
    for dirpath, dirnames, filenames in os.walk(broot):
        if dirpath == broot and b".agent" in dirnames:  # a target's reserved directory (rsync temp files), not mirrored
            dirnames.remove(b".agent")
        for name in dirnames + filenames:
            full = os.path.join(dirpath, name)
            st = os.lstat(full)
            rel = os.path.relpath(full, broot)
            if stat.S_ISREG(st.st_mode):
                h = ""
                if hashes:
                    with open(full, "rb") as f:
                        h = hashlib.sha256(f.read()).hexdigest()
                out[rel] = ("f", st.st_size, h)
            elif stat.S_ISLNK(st.st_mode):
                out[rel] = ("l", 0, os.readlink(full))
            elif stat.S_ISDIR(st.st_mode):
                out[rel] = ("d", 0, "")
            else:
                out[rel] = ("s", 0, stat.S_IFMT(st.st_mode))
    return out


def diff(a, b):
    missing = sorted(set(a) - set(b))
    extra = sorted(set(b) - set(a))
    changed = sorted(k for k in set(a) & set(b) if a[k] != b[k])
    return missing, extra, changed


def lost_files(src_tree, dst_tree):
    missing, _, changed = diff(src_tree, dst_tree)
    return len([k for k in missing + changed if src_tree[k][0] == "f"])


def await_equal(source, target_dir, timeout=120):
    """Waits until paths, kinds and sizes match, then asserts content hashes match too; returns seconds waited."""
    start = time.time()
    last = [None]

    def same():
        try:
            last[0] = diff(tree(source, False), tree(target_dir, False))
        except FileNotFoundError as e:
            last[0] = str(e)
            return False
        return last[0] == ([], [], [])

    deadline = start + timeout
    while not same():
        if time.time() > deadline:
            m = last[0]
            raise AssertionError("target %s differs from source after %d s: %s" % (
                target_dir, timeout, m if isinstance(m, str) else
                "missing %d %r, extra %d %r, changed %d %r" % (len(m[0]), m[0][:5], len(m[1]), m[1][:5], len(m[2]), m[2][:5])))
        time.sleep(0.3)
    waited = time.time() - start
    m = diff(tree(source), tree(target_dir))
    assert m == ([], [], []), "contents differ: missing %r, extra %r, changed %d %r" % (m[0][:5], m[1][:5], len(m[2]), m[2][:5])
    return waited


def burst(base, count, prefix="f", size=512, per_dir=250, rng=random):
    for i in range(count):
        d = os.path.join(base, "%s%03d" % (prefix, i // per_dir))
        if i % per_dir == 0:
            os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "%s%05d.bin" % (prefix, i)), "wb") as f:
            f.write(rng.randbytes(size) if size else b"")


def row(fault, injected, lost, recover_s, retries, note=""):
    RESULTS.append((fault, injected, lost, "%.1f" % recover_s if recover_s is not None else "-", retries, note))


# ---------------------------------------------------------------- the faults

def src_dir(t, watch):
    return t.src.path("srv/" + watch)


def bak_dir(t, module):
    return t.bak.path("srv/" + module)


def runs(t, watch):
    tg = target(t, watch)
    return tg["rsync_runs"], tg["retries"]


def fault_link_down(t):
    """Link down for LINK_DOWN_SECONDS (30) in the middle of a 5,000-file burst, then up; again while idle."""
    down_s = int(os.environ.get("LINK_DOWN_SECONDS", "30"))
    src, dst = src_dir(t, "main"), bak_dir(t, "data")
    # 1. mid-transfer: the link goes while the first half is being sent, the second half is written while it is down
    burst(os.path.join(src, "linkdown"), 2500, "a", 2048)
    t.link(False)
    runs0, retries0 = runs(t, "main")
    burst(os.path.join(src, "linkdown"), 2500, "b", 2048)
    time.sleep(down_s)
    runs1, retries1 = runs(t, "main")
    t.link(True)
    up = time.time()
    await_equal(src, dst, 180)
    row("link down %d s mid 5,000-file burst (in-flight rsync stalls)" % down_s, 1, lost_files(tree(src), tree(dst)),
        time.time() - up, "%d runs / %d retries while down" % (runs1 - runs0, retries1 - retries0))
    # 2. down while idle: every push attempt fails at once (network unreachable), so only the backoff limits them
    await_("main/data idle", lambda: (lambda x: x["queue_depth"] == 0 and x["in_flight"] == 0)(target(t, "main")), 60)
    t.link(False)
    runs0, retries0 = runs(t, "main")
    burst(os.path.join(src, "linkdown-idle"), 500, "c", 2048)
    time.sleep(down_s)
    tg = target(t, "main")
    assert tg["queue_depth"] > 0 or tg["failure_count"] > 0, "the backlog is visible while the link is down: %r" % tg
    attempts = tg["rsync_runs"] - runs0
    t.link(True)
    up = time.time()
    await_equal(src, dst, 400)
    # backoff 1 s doubling: ~log2(down_s) attempts; a hot loop would make hundreds
    assert attempts <= 2 * (down_s.bit_length() + 2), "no hot loop: %d rsync runs in %d s" % (attempts, down_s)
    row("link down %d s while idle, 500 files written meanwhile" % down_s, 1, lost_files(tree(src), tree(dst)),
        time.time() - up, "%d runs / %d retries while down (next_retry %s)" % (attempts, tg["retries"] - retries0,
                                                                               tg["next_retry"]))


def fault_daemon(t):
    """rsync daemon killed mid-transfer and restarted; then a wrong password on the daemon, fixed, retry drains."""
    src = src_dir(t, "main")
    rng = random.Random(7)
    for i in range(20):  # big files: a transfer is in flight when the daemon dies
        os.makedirs(os.path.join(src, "big"), exist_ok=True)
        with open(os.path.join(src, "big", "blob%02d" % i), "wb") as f:
            f.write(rng.randbytes(4 << 20))
    await_("a transfer in flight", lambda: os.path.isdir(os.path.join(bak_dir(t, "data"), "big")), 30, 0.02)
    retries0 = runs(t, "main")[1]
    kill_daemon(t.bak)
    killed = time.time()
    burst(os.path.join(src, "while-daemon-dead"), 300, "d", 1024)
    time.sleep(3)
    converge_backup(t)
    await_equal(src, bak_dir(t, "data"), 120)
    row("rsync daemon SIGKILL mid-transfer, restarted after 3 s", 1, lost_files(tree(src), tree(bak_dir(t, "data"))),
        time.time() - killed, runs(t, "main")[1] - retries0)

    converge_backup(t, password="wrong-" + PASSWORD2)  # the daemon now holds a different password for 'backup'
    kill_daemon(t.bak)
    converge_backup(t, password="wrong-" + PASSWORD2)  # and is restarted with it
    burst(os.path.join(src, "auth"), 50, "p", 256)
    burst(os.path.join(src_dir(t, "side")), 50, "s", 256)
    tg = await_("main/data paused with an auth alert", lambda: (lambda x: x if x["state"] == "paused"
                and x["alert"] and "auth" in x["alert"].lower() else None)(target(t, "main")), 60)
    await_equal(src_dir(t, "side"), bak_dir(t, "other"), 60)  # the other target is unaffected
    assert target(t, "side")["state"] != "paused"
    pending = tg["queue_depth"] + tg["failure_count"]
    assert pending > 0, "the unsent changes are visible: %r" % tg
    time.sleep(5)
    attempts_paused = runs(t, "main")[0]
    time.sleep(5)
    assert runs(t, "main")[0] == attempts_paused, "a paused target is not retried by itself"
    fixed = time.time()
    converge_backup(t)
    call(t, "retry", {"target": "main/data"})
    await_equal(src, bak_dir(t, "data"), 60)
    await_("main/data healthy", lambda: target(t, "main")["state"] != "paused" and not target(t, "main")["alert"], 20)
    row("daemon restarted with a wrong password (alert: %s)" % tg["alert"][:60], 1, 0, time.time() - fixed,
        "paused: 0 runs in 5 s")


def fault_agent_sigkill(t):
    """The source agent SIGKILLed in the middle of a burst (with deletes and renames), restarted."""
    src = src_dir(t, "main")
    burst(os.path.join(src, "sigkill"), 1500, "k", 1024)
    t.src.agent.kill()
    t.src.agent.wait()
    burst(os.path.join(src, "sigkill"), 1500, "m", 1024)
    os.rename(os.path.join(src, "sigkill", "k000"), os.path.join(src, "sigkill", "k000-renamed"))
    for name in os.listdir(os.path.join(src, "sigkill", "k001")):
        os.unlink(os.path.join(src, "sigkill", "k001", name))
    killed = time.time()
    start_agent(t)
    await_equal(src, bak_dir(t, "data"), 120)
    row("source agent SIGKILL mid-burst (3,000 files, rename, deletes)", 1,
        lost_files(tree(src), tree(bak_dir(t, "data"))), time.time() - killed, "-")


def fault_fs_full(t):
    """The backup module on a 2 MiB tmpfs (backup host's mount namespace) fills up; space freed; retry drains."""
    src = src_dir(t, "fill")
    burst(src, 40, "z", 100 << 10, per_dir=10)  # 4 MB into 2 MiB
    tg = await_("fill/small alerts: the target filesystem is full", lambda: (lambda x: x if x["alert"] and
                ("no space left" in x["alert"].lower() or "exit 11" in x["alert"]) else None)(target(t, "fill")), 90)
    assert tg["state"] != "paused", "a full target keeps retrying (space may come back)"
    what = tg["alert"]
    full = time.time()
    t.bak.run("mount", "-o", "remount,size=64m", os.path.join(t.bak.root, "srv/small"))
    call(t, "retry", {"target": "fill/small"})
    await_equal(src, bak_dir(t, "small"), 120)
    await_("the alert clears", lambda: target(t, "fill")["alert"] is None, 30)
    row("backup filesystem full (2 MiB tmpfs; %s)" % what.strip()[:50], 1, 0, time.time() - full, target(t, "fill")["retries"])


def fault_overflow(t):
    """inotify overflow: 50,000 files created while the agent is stopped (SIGSTOP), default max_queued_events."""
    with open("/proc/sys/fs/inotify/max_queued_events") as f:
        queued = int(f.read())
    src = src_dir(t, "flood")
    dirs = 50
    for i in range(dirs):  # watched first: files in a directory nobody watches yet make no events
        os.makedirs(os.path.join(src, "o%03d" % i))
    await_("flood watches its directories", lambda: target(t, "flood")["watch"]["watched_directories"] > dirs, 30)
    overflows0 = target(t, "flood")["watch"]["overflows"]
    os.kill(t.src.agent.pid, signal.SIGSTOP)
    try:
        burst(src, 50000, "o", 64, per_dir=1000)
    finally:
        os.kill(t.src.agent.pid, signal.SIGCONT)
    resumed = time.time()
    await_equal(src, bak_dir(t, "flood"), 300)
    overflows = target(t, "flood")["watch"]["overflows"] - overflows0
    assert overflows >= 1, "the overflow was seen"
    row("inotify overflow: 50,000 files, max_queued_events=%d" % queued, overflows, 0, time.time() - resumed, "-")


def fault_watch_limit(t):
    """Watch limit exhausted (a private user namespace's max_inotify_watches): a clear error, nothing silently unwatched."""
    h = t.src
    base = os.path.join(h.root, "srv", "limited")
    for d in ("a/b/c", "d/e"):
        os.makedirs(os.path.join(base, d), exist_ok=True)
    state = os.path.join(WORK, "limited.yaml")
    with open(state, "w") as f:
        f.write("""version: 1
settings: { state_dir: /var/lib/agent-limited, status_file: /var/lib/agent-limited/status.json, control_socket: /run/agent-limited/agent.sock }
watches:
  - { name: limited, source: /srv/limited, targets: [ { name: copy, url: /srv/limited-copy } ], delay: 100ms }
""")
    os.chmod(state, 0o600)

    def limited_agent(limit):
        return subprocess.Popen(h.cmd("unshare", "-U", "-r", "/bin/sh", "-c",
                                      "echo %d > /proc/sys/user/max_inotify_watches && exec \"$0\" \"$@\"" % limit,
                                      AGENT, "apply", state, "--root", h.root, "--auto-approve"),
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=agent_env())

    p = limited_agent(3)  # 6 directories, 3 watches
    out = p.communicate(timeout=60)[0].decode(errors="replace")
    assert p.returncode == 1 and "max_user_watches" in out and "needs 6 watches" in out, out
    at_start = [l for l in out.splitlines() if "max_user_watches" in l][0]

    p = limited_agent(8)  # room for the tree; then 5 directories are created live, 3 of them cannot be watched
    try:
        sock = h.path("run/agent-limited/agent.sock")

        def limited_status():
            s = socket.socket(socket.AF_UNIX)
            s.connect(sock)
            s.sendall(b'{"v":1,"id":1,"op":"status","args":{}}\n')
            data = s.makefile("rb").readline()
            s.close()
            return json.loads(data)["result"]["watches"][0]

        await_("limited agent up", lambda: os.path.exists(sock) and limited_status()["targets"][0]["last_success"], 60)
        for i in range(5):
            os.makedirs(os.path.join(base, "live%d" % i))
            with open(os.path.join(base, "live%d" % i, "f"), "w") as f:
                f.write("x")
        w = await_("the watch error names the limit", lambda: (lambda x: x if x["error"] and "max_user_watches"
                   in x["error"] else None)(limited_status()), 30)
        row("watch limit exhausted (userns max_inotify_watches 3, then 8 + 5 live dirs)", 2, 0, None, "-",
            "start: …%s | live: …%s" % (at_start[at_start.index("needs"):][:110], w["error"][w["error"].index(":", 40) + 1:][:110]))
    finally:
        p.kill()
        p.wait()


def guard_state(t):
    return target(t, "guarded")


def delete_guard(t):
    """max_delete 50: a source that becomes empty, disappears, or is unmounted does not wipe the backup."""
    src = src_dir(t, "guarded")
    dst = bak_dir(t, "guarded")
    burst(src, 200, "g", 128, per_dir=200)
    await_equal(src, dst, 60)
    before = tree(dst)

    def paused_with_alert():
        x = guard_state(t)
        return x if x["state"] == "paused" and x["alert"] and "delete" in x["alert"].lower() else None

    # 1. becomes empty (live)
    for dirpath, _, files in os.walk(src):
        for name in files:
            os.unlink(os.path.join(dirpath, name))
    tg = await_("guarded paused (emptied)", paused_with_alert, 30)
    assert tree(dst) == before, "backup intact while paused"
    call(t, "resume", {"target": "guarded/guarded"})
    time.sleep(2)
    assert paused_with_alert(), "resume alone does not confirm a mass delete"
    call(t, "retry", {"target": "guarded/guarded", "allow_deletes": True})
    await_equal(src, dst, 60)
    cases = ["emptied: " + tg["alert"][:60]]

    # 2. disappears (live)
    burst(src, 200, "h", 128, per_dir=200)
    await_equal(src, dst, 60)
    before = tree(dst)
    subprocess.run(["rm", "-rf", os.path.join(src, "h000")], check=True)
    await_("guarded paused (disappeared)", paused_with_alert, 30)
    assert tree(dst) == before, "backup intact"
    cases.append("subtree gone: paused")

    # 3. unmounted, then the agent restarts (reboot with the disk missing): the initial full sync sees an empty source
    burst(src, 200, "j", 128, per_dir=200)  # new names: same-size rewrites in the same second escape rsync's quick check
    call(t, "retry", {"target": "guarded/guarded", "allow_deletes": True})
    await_equal(src, dst, 60)
    before = tree(dst)
    t.src.agent.kill()
    t.src.agent.wait()
    t.src.run("umount", os.path.join(t.src.root, "srv/guarded"))
    assert os.listdir(src) == []
    start_agent_tolerant(t)
    tg = await_("guarded paused (unmounted)", paused_with_alert, 30)
    files_left = len([v for v in tree(dst).values() if v[0] == "f"])
    files_before = len([v for v in before.values() if v[0] == "f"])
    # a full sync is limited by rsync's --max-delete: at most max_delete files go before the target pauses
    assert files_left >= files_before - 50, "backup not wiped by the initial sync of an unmounted source: %d of %d left" % (
        files_left, files_before)
    cases.append("unmounted+restart: paused, %d of %d files kept (%s)" % (files_left, files_before, tg["alert"][:70]))
    call(t, "retry", {"target": "guarded/guarded", "allow_deletes": True})  # the operator confirms: healthy again
    await_equal(src, dst, 60)
    row("delete guard max_delete=50 (%s)" % "; ".join(cases), 3, 0, None, "-")


def start_agent_tolerant(t):
    """Starts the source agent where a target may be paused (not every initial sync succeeds)."""
    h = t.src
    h.agent = subprocess.Popen(h.cmd(AGENT, "apply", state_file(h), "--root", h.root, "--auto-approve"),
                               stdout=h.agent_log, stderr=subprocess.STDOUT, env=agent_env())
    def answering():
        assert h.agent.poll() is None, "source agent exited: " + read_log()[-2000:]
        try:
            return status(t)
        except OSError:
            return None  # not up yet, or the socket a killed agent left behind

    await_("source agent answering", answering, 60)


# ---------------------------------------------------------------- hostile input and secrets

def hostile_names(t):
    """Awkward names and special files replicate as `rsync -a` copies them; nothing becomes an option or is run."""
    src = src_dir(t, "hostile")
    b = os.fsencode(src)
    names = [b"new\nline", b"--rsh=touch PWNED", b"-e", b"-", b"with space ", b" lead", b"*?[]", b"back\\slash",
             b"\xff\xfe-not-utf8", b"x" * 255, b"'quote\"", b"$(touch PWNED2)", b"; touch PWNED3"]
    for n in names:
        with open(os.path.join(b, n), "wb") as f:
            f.write(b"content of " + n)
    deep = b
    while len(deep) - len(b) < 3800:  # deep path near PATH_MAX (relative to the source)
        deep = os.path.join(deep, b"d" * 200)
    os.makedirs(deep)
    with open(os.path.join(deep, b"leaf"), "wb") as f:
        f.write(b"deep")
    os.symlink("/etc/passwd", os.path.join(src, "outside-abs"))
    os.symlink("../../../../../../../etc/shadow", os.path.join(src, "outside-rel"))
    os.symlink("loop-b", os.path.join(src, "loop-a"))
    os.symlink("loop-a", os.path.join(src, "loop-b"))
    os.symlink("self", os.path.join(src, "self"))
    os.symlink(".", os.path.join(src, "dot-loop"))
    with open(os.path.join(src, "hard1"), "w") as f:
        f.write("linked")
    os.link(os.path.join(src, "hard1"), os.path.join(src, "hard2"))
    os.mkfifo(os.path.join(src, "fifo"))
    s = socket.socket(socket.AF_UNIX)
    s.bind(os.path.join(src, "sock"))
    s.close()
    reference = os.path.join(WORK, "hostile-reference")
    sh("rsync", "-a", src + "/", reference + "/")
    await_equal(reference, bak_dir(t, "hostile"), 60)
    for where in (REPO, "/", WORK, t.src.root, t.bak.root, "/tmp"):
        for p in ("PWNED", "PWNED2", "PWNED3"):
            assert not os.path.exists(os.path.join(where, p)), "a filename was executed: %s/%s" % (where, p)
    assert os.path.islink(os.path.join(bak_dir(t, "hostile"), "outside-abs")), "a link stays a link"
    skipped = sorted(set(tree(src)) - set(tree(bak_dir(t, "hostile"))))
    row("hostile names (%d) + deep path + links/loops/hard links/fifo/socket" % len(names), len(names) + 9, 0, None,
        "-", "equal to rsync -a; skipped: %s" % (skipped or "none"))


class SecretScan:
    """Scans every process's argv, and the environment of processes not spawned by the agent, for the passwords."""

    def __init__(self, t):
        self.t = t
        self.hits = set()
        self.scans = 0
        self.stop = False

    @staticmethod
    def descendants(pid):
        out, todo = set(), [pid]
        while todo:
            p = todo.pop()
            out.add(p)
            todo.extend(children(p))
        return out

    def once(self):
        secrets = [PASSWORD.encode(), PASSWORD2.encode()]
        mine = self.descendants(os.getpid())
        for p in os.listdir("/proc"):
            if not p.isdigit():
                continue
            for what in ("cmdline", "environ"):
                try:
                    with open("/proc/%s/%s" % (p, what), "rb") as f:
                        data = f.read()
                    with open("/proc/%s/comm" % p, "rb") as f:
                        comm = f.read().strip()
                except OSError:
                    continue
                if not any(s in data for s in secrets):
                    continue
                # the driver hands the passwords to the agents it starts ({env: NAME} sources): their environment
                # holds them by design; an rsync child's must not (password files here), nor anything else's
                if what == "environ" and comm != b"rsync" and int(p) in mine | self.descendants(os.getpid()):
                    continue
                self.hits.add("%s of pid %s (%s: %s)" % (what, p, comm.decode(errors="replace"), data.split(b"\0")[0][:60]))
        self.scans += 1

    def run(self):
        while not self.stop:
            self.once()
            time.sleep(0.05)


def secrets_at_rest(t):
    """No password in logs, status file, plan output, console output, status JSON, the socket's config, queue files."""
    outputs = {}
    for h in (t.src, t.bak):
        r = h.run(AGENT, "plan", state_file(h), "--root", h.root, env=agent_env(), check=False)
        outputs["plan " + h.name] = r.stdout + r.stderr
    r = t.src.run(AGENT, "status", "--json", "--socket", os.path.join(t.src.root, "run/agent/agent.sock"),
                  env=agent_env(), check=False)
    outputs["status --json"] = r.stdout + r.stderr
    r = t.src.run(AGENT, "console", "--socket", os.path.join(t.src.root, "run/agent/agent.sock"),
                  input=b"status\nfailures\nconfig\nquit\n", env=agent_env(), check=False, timeout=60)
    outputs["console"] = r.stdout + r.stderr
    outputs["config op"] = json.dumps(call(t, "config")).encode()
    leaks = [k for k, v in outputs.items() if PASSWORD.encode() in v or PASSWORD2.encode() in v]
    allowed = {os.path.join(t.bak.root, "etc/rsyncd.secrets"), os.path.join(t.src.root, "etc/rsync.backup"),
               os.path.join(t.src.root, "etc/rsync.other")}
    files = 0
    for dirpath, dirs, names in os.walk(WORK):
        dirs[:] = [d for d in dirs if os.path.join(dirpath, d) not in (
            os.path.join(t.src.root, "srv"), os.path.join(t.bak.root, "srv"))]
        for n in names:
            p = os.path.join(dirpath, n)
            if p in allowed or not os.path.isfile(p) or os.path.islink(p):
                continue
            files += 1
            with open(p, "rb") as f:
                data = f.read()
            if PASSWORD.encode() in data or PASSWORD2.encode() in data:
                leaks.append(p)
    assert not leaks, "password found in: %s" % leaks
    assert len(outputs["console"]) > 0, "the console printed something"
    return files, len(outputs)


def state_file_rules(t):
    """A literal password in an other-readable state file is refused; loose secret-file modes are flagged and repaired."""
    literal = os.path.join(WORK, "literal.yaml")
    with open(literal, "w") as f:
        f.write(source_state().replace("{ env: FAULTS_PASSWORD }", "{ value: %s }" % PASSWORD, 1))
    os.chmod(literal, 0o644)
    r = sh(AGENT, "validate", literal, check=False)
    out = (r.stdout + r.stderr).decode(errors="replace")
    assert r.returncode == 1 and PASSWORD not in out, "refused without echoing the password: %d %s" % (r.returncode, out)
    literal_msg = " ".join(l.strip() for l in out.splitlines() if "password" in l.lower())[:160]
    os.unlink(literal)
    loose = [(t.src, "etc/rsync.backup"), (t.bak, "etc/rsyncd.secrets")]
    for h, rel in loose:
        os.chmod(os.path.join(h.root, rel), 0o644)
        r = h.run(AGENT, "plan", state_file(h), "--root", h.root, "--detailed-exitcode", env=agent_env(), check=False)
        plan = (r.stdout + r.stderr).decode(errors="replace")
        assert r.returncode == 2 and rel.split("/")[-1] in plan and PASSWORD not in plan, "plan flags %s: %s" % (rel, plan)
        if h is t.bak:
            converge_backup(t)
        else:
            h.run(AGENT, "apply", state_file(h), "--root", h.root, "--auto-approve", "--converge-only",
                  "--lock-timeout", "0", env=agent_env(), check=False)
        mode = stat.S_IMODE(os.stat(os.path.join(h.root, rel)).st_mode)
        assert mode == 0o600, "apply repaired %s: %o" % (rel, mode)
    return literal_msg


def socket_refuses_others(t):
    """The control socket refuses a user that is neither root nor the agent's (also when it can reach the file)."""
    sock = os.path.join(t.src.root, "run/agent/agent.sock")
    r1 = sh("runuser", "-u", "nobody", "--", AGENT, "status", "--socket", sock, check=False, env=agent_env())
    # past the 0700 directory: a hard link to the same socket in an open directory, the inode opened up for a moment
    pub = os.path.join(WORK, "pub")
    os.makedirs(pub, mode=0o755)
    os.chmod(pub, 0o755)
    link = os.path.join(pub, "agent.sock")
    os.link(sock, link)
    mode = stat.S_IMODE(os.stat(sock).st_mode)
    os.chmod(link, 0o666)
    try:
        r2 = sh("runuser", "-u", "nobody", "--", AGENT, "status", "--socket", link, check=False, env=agent_env())
    finally:
        os.chmod(sock, mode)
        os.unlink(link)
    assert r1.returncode != 0 and r2.returncode != 0, (r1, r2)
    msg1 = (r1.stdout + r1.stderr).decode(errors="replace").strip()
    msg2 = (r2.stdout + r2.stderr).decode(errors="replace").strip()
    assert "Fault" not in msg1 + msg2, "no secret in the answers"
    # what the server answers a stranger, read before anything is sent (the CLI may hit EPIPE writing its request)
    os.link(sock, link)
    os.chmod(link, 0o666)
    try:
        r3 = sh("runuser", "-u", "nobody", "--", "/usr/bin/python3", "-c",
                "import socket,sys; s=socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.settimeout(10); "
                "print(s.makefile('rb').readline().decode())", link, check=False)
    finally:
        os.chmod(sock, mode)
        os.unlink(link)
    assert r3.returncode == 0, r3.stderr.decode()
    answer = json.loads(r3.stdout.decode())
    assert answer["ok"] is False, answer
    return "CLI as nobody: %s | server's answer: %s" % (msg1.splitlines()[-1][:60], json.dumps(answer["error"])[:120])


def rsyncd_access(t):
    """hosts_allow, hosts_deny and read_only, enforced from the source host's namespace."""
    probe = os.path.join(WORK, "probe.txt")
    with open(probe, "w") as f:
        f.write("probe")
    env = dict(os.environ, RSYNC_PASSWORD=PASSWORD)  # the child's environment only

    def push(module):
        r = t.src.run("rsync", "-a", "--timeout=10", probe, "rsync://backup@%s/%s/" % (BAK_IP, module), env=env,
                      check=False)
        return r.returncode, r.stderr.decode(errors="replace").strip().splitlines()[:1]

    ok, ro, denied, elsewhere = push("data"), push("ro"), push("denied"), push("elsewhere")
    assert ok[0] == 0, ok
    assert ro[0] != 0 and "read only" in "".join(ro[1]).lower(), ro
    assert denied[0] != 0 and "unknown module" in "".join(denied[1]).lower(), denied
    # rsync answers a host outside hosts_allow as if the module did not exist (its log says "denied")
    assert elsewhere[0] != 0 and "unknown module" in "".join(elsewhere[1]).lower(), elsewhere
    assert not os.path.exists(os.path.join(t.bak.root, "srv/ro/probe.txt"))
    with open(os.path.join(t.bak.root, "var/log/rsyncd.log")) as f:
        daemon_log = f.read()
    for module in ("denied", "elsewhere"):
        assert "rsync denied on module %s from" % module in daemon_log, "the daemon refused %s by host" % module
    os.unlink(os.path.join(bak_dir(t, "data"), "probe.txt"))
    return "ro: %s | deny: %s | allow-other: %s" % (ro[1][0][:40], denied[1][0][:40], elsewhere[1][0][:40])


# ---------------------------------------------------------------- soak

def soak(t):
    """Random creates, writes, renames and deletes across a deep tree for SOAK_SECONDS, faults on a schedule."""
    src = src_dir(t, "soak")
    rng = random.Random(int(os.environ.get("SOAK_SEED", "1")))
    dirs = [src]
    files = []
    written = renames = deletes = 0
    faults = {"link flap 5 s": 0, "daemon SIGKILL + restart": 0, "agent SIGKILL + restart": 0}
    schedule = list(faults)
    next_fault = time.time() + 10
    end = time.time() + SOAK_SECONDS
    k = 0
    while time.time() < end:
        op = rng.random()
        if op < 0.08 and len(dirs) < 400:
            parent = rng.choice(dirs)
            if parent.count("/") - src.count("/") < 12:
                d = os.path.join(parent, "d%d" % k)
                os.mkdir(d)
                dirs.append(d)
        elif op < 0.55 or not files:
            p = os.path.join(rng.choice(dirs), "f%d" % k)
            with open(p, "wb") as f:
                f.write(rng.randbytes(rng.randrange(0, 8192)))
            files.append(p)
            written += 1
        elif op < 0.75:
            p = rng.choice(files)
            with open(p, "ab") as f:
                f.write(rng.randbytes(rng.randrange(1, 4096)))
            written += 1
        elif op < 0.88:
            i = rng.randrange(len(files))
            new = os.path.join(rng.choice(dirs), "r%d" % k)
            os.rename(files[i], new)
            files[i] = new
            renames += 1
        else:
            os.unlink(files.pop(rng.randrange(len(files))))
            deletes += 1
        k += 1
        if k % 50 == 0:
            time.sleep(0.02)
        if time.time() >= next_fault:
            kind = schedule[sum(faults.values()) % len(schedule)]
            faults[kind] += 1
            if kind.startswith("link"):
                t.link(False)
                time.sleep(5)
                t.link(True)
            elif kind.startswith("daemon"):
                kill_daemon(t.bak)
                time.sleep(2)
                converge_backup(t)
            else:
                t.src.agent.kill()
                t.src.agent.wait()
                time.sleep(1)
                start_agent_tolerant(t)
            next_fault = time.time() + 12
    recover = await_equal(src, bak_dir(t, "soak"), 300)  # seconds until paths and sizes match (hashes checked after)
    lost = lost_files(tree(src), tree(bak_dir(t, "soak")))
    row("soak %d s: %d writes, %d renames, %d deletes, %d dirs" % (SOAK_SECONDS, written, renames, deletes, len(dirs)),
        sum(faults.values()), lost, recover, runs(t, "soak")[1],
        ", ".join("%s x%d" % kv for kv in faults.items()))


# ---------------------------------------------------------------- main

def main():
    if os.geteuid() != 0:
        sys.exit("faults: needs root (network namespaces, mounts)")
    only = set(filter(None, os.environ.get("ONLY", "").split(",")))
    t = Topology()
    failures = []

    def stop(signum, frame):
        raise KeyboardInterrupt()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGHUP, stop)
    started = time.time()
    try:
        t.up()
        write_states(t)
        # the backup host: a 2 MiB tmpfs for the module that fills up; the source host: a tmpfs that gets unmounted
        for h, rel, size in ((t.bak, "srv/small", "2m"), (t.src, "srv/guarded", "16m")):
            os.makedirs(os.path.join(h.root, rel), exist_ok=True)
            h.run("mount", "-t", "tmpfs", "-o", "size=" + size, "faults", os.path.join(h.root, rel))
        converge_backup(t)
        start_agent(t)
        log("two hosts up: source %s (%s), backup %s (%s)" % (t.src.ns, SRC_IP, t.bak.ns, BAK_IP))
        scan = SecretScan(t)
        import threading
        scanner = threading.Thread(target=scan.run, daemon=True)
        scanner.start()
        checks = [("link", fault_link_down), ("daemon", fault_daemon), ("sigkill", fault_agent_sigkill),
                  ("full", fault_fs_full), ("overflow", fault_overflow), ("limit", fault_watch_limit),
                  ("guard", delete_guard), ("hostile", hostile_names), ("soak", soak)]
        for name, check in checks:
            if only and name not in only:
                continue
            log("== " + name + ": " + check.__doc__.strip().splitlines()[0])
            t0 = time.time()
            try:
                check(t)
                log("   ok (%.0f s)" % (time.time() - t0))
            except Exception as e:
                failures.append(name)
                log("   FAILED: %s" % e)
                traceback.print_exc()
                if t.src.agent is None or t.src.agent.poll() is not None:
                    start_agent_tolerant(t)
        scan.stop = True
        scanner.join()
        security = [("rsyncd", rsyncd_access), ("socket", socket_refuses_others), ("statefile", state_file_rules),
                    ("rest", secrets_at_rest)]
        for name, check in security:
            if only and name not in only:
                continue
            log("== " + name + ": " + check.__doc__.strip().splitlines()[0])
            try:
                log("   ok: %s" % (check(t),))
            except Exception as e:
                failures.append(name)
                log("   FAILED: %s" % e)
                traceback.print_exc()
        if scan.hits:
            failures.append("argv/environ")
        log("== argv/environ scan: %d scans of /proc during the faults, hits: %s" % (scan.scans, sorted(scan.hits) or "none"))
    except KeyboardInterrupt:
        failures.append("interrupted")
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second signal must not cut the teardown short
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        sh("cp", os.path.join(WORK, "source-agent.log"), "/tmp/faults-last-agent.log", check=False)
        sh("cp", os.path.join(t.bak.root, "var/log/rsyncd.log"), "/tmp/faults-last-rsyncd.log", check=False)
        t.down()
    print("\n| fault | injected | lost files | time to recover (s) | retries | notes |\n|---|---|---|---|---|---|")
    for r in RESULTS:
        print("| %s | %s | %s | %s | %s | %s |" % r)
    log("suite %s in %.0f s%s" % ("FAILED" if failures else "passed", time.time() - started,
                                  ": " + ", ".join(failures) if failures else ""))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
