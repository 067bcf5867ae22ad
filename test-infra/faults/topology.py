"""Two hosts on one machine: a source and a backup host, each a network + mount namespace held by a sleeping process,
joined by a veth pair whose addresses exist only inside them. A host's /srv (sources, modules) is a tmpfs of its own
mount namespace: fast to fill, gone with the namespace (deleting 100,000 files on this disk took minutes). Teardown is total: every process inside either
namespace (agents, the daemon, rsyncs a killed agent orphaned), the mounts, the namespaces, the veth, the files."""
import os
import shutil
import signal
import subprocess
import time

from . import procs


def sh(*argv, check=True, env=None, input=None, timeout=120):
    r = subprocess.run(list(argv), capture_output=True, env=env, input=input, timeout=timeout)
    if check and r.returncode != 0:
        raise AssertionError("%s exited %d: %s" % (" ".join(argv), r.returncode, r.stderr.decode(errors="replace")))
    return r


class Host:
    """A network + mount namespace held by a sleeping process; its files under WORK/<name> (the agent's --root)."""

    def __init__(self, ident, name):
        self.name = name
        self.ns = ident.tag + name[0]
        self.veth = "v" + ident.tag + name[0]
        self.root = os.path.join(ident.work, name)
        self.holder = None
        self.netns = None  # the namespace's /proc link, to find every process inside it

    def start(self):
        sh("ip", "netns", "add", self.ns)
        self.holder = subprocess.Popen(["ip", "netns", "exec", self.ns, "sleep", "infinity"])
        outside = procs.netns(os.getpid())
        deadline = time.monotonic() + 30
        while procs.netns(self.holder.pid) in (None, outside):
            if self.holder.poll() is not None or time.monotonic() > deadline:
                raise AssertionError("the holder of %s did not enter it (exit %s)" % (self.ns, self.holder.poll()))
            time.sleep(0.02)
        self.netns = procs.netns(self.holder.pid)

    def cmd(self, *argv):
        """argv run inside this host's namespaces (nsenter execs it: the PID is the command's)."""
        return ["nsenter", "-t", str(self.holder.pid), "-m", "-n", "--"] + list(argv)

    def run(self, *argv, check=True, env=None, input=None, timeout=120):
        return sh(*self.cmd(*argv), check=check, env=env, input=input, timeout=timeout)

    def path(self, rel):
        """A file of this host as its own mount namespace sees it (its tmpfs mounts included)."""
        return "/proc/%d/root%s/%s" % (self.holder.pid, self.root, rel.lstrip("/"))

    def mount_tmpfs(self, rel, size):
        """A tmpfs in this host's mount namespace only: it goes with the namespace, whatever happens to the driver."""
        os.makedirs(self.path(rel), exist_ok=True)
        self.run("mount", "-t", "tmpfs", "-o", "size=" + size, "faults", os.path.join(self.root, rel))

    def umount(self, rel, wait=5.0):
        """Unmounts the host's filesystem at rel, as an operator would: a process still working in it for a moment
        (the agent's last rsync of a burst, an event being read) makes umount say "target is busy", so it is tried
        again for `wait` seconds; past that the error names who holds the mount (their cwd or open files)."""
        target = os.path.join(self.root, rel)
        deadline = time.monotonic() + wait
        while True:
            r = self.run("umount", target, check=False)
            if r.returncode == 0:
                return
            if b"busy" not in r.stderr or time.monotonic() > deadline:
                raise AssertionError("umount %s exited %d: %s; held by: %s" % (
                    target, r.returncode, r.stderr.decode(errors="replace").strip(), self.holders(target) or "nobody seen"))
            time.sleep(0.1)

    def holders(self, target):
        """The processes of this host whose cwd or an open file is at or under target (as they see their paths)."""
        found = []
        for pid in procs.members(self.netns):
            try:
                links = [os.readlink("/proc/%d/cwd" % pid)]
                links += [os.readlink("/proc/%d/fd/%s" % (pid, fd)) for fd in os.listdir("/proc/%d/fd" % pid)]
            except OSError:
                continue
            inside = [l for l in links if l == target or l.startswith(target + "/")]
            if inside:
                cmd = open("/proc/%d/cmdline" % pid, "rb").read().replace(b"\0", b" ").decode(errors="replace")[:80]
                found.append("%d %s (%s)" % (pid, cmd.strip(), inside[0]))
        return "; ".join(found)

    def down(self):
        """Every process inside the namespace (the holder last), then the namespace."""
        if self.netns:
            for _ in range(50):  # a process may fork while we kill: look again until nobody is left
                inside = procs.members(self.netns)
                if not inside:
                    break
                for pid in inside:
                    procs.signal_pid(pid, signal.SIGKILL)
                time.sleep(0.05)
            self.holder.wait()
        sh("ip", "netns", "del", self.ns, check=False)


class Topology:
    def __init__(self, ident):
        self.ident = ident
        self.src = Host(ident, "source")
        self.bak = Host(ident, "backup")
        self.hosts = {"source": self.src, "backup": self.bak}
        self.linked = False

    def up(self):
        os.makedirs(self.ident.work)
        for h in (self.src, self.bak):
            h.start()
        sh("ip", "link", "add", self.src.veth, "type", "veth", "peer", "name", self.bak.veth)
        self.linked = True
        for h, ip in ((self.src, self.ident.src_ip), (self.bak, self.ident.bak_ip)):
            sh("ip", "link", "set", h.veth, "netns", h.ns)
            sh("ip", "-n", h.ns, "addr", "add", ip + "/24", "dev", h.veth)
            sh("ip", "-n", h.ns, "link", "set", h.veth, "up")
            sh("ip", "-n", h.ns, "link", "set", "lo", "up")

    def link(self, up):
        sh("ip", "-n", self.src.ns, "link", "set", self.src.veth, "up" if up else "down")

    def down(self):
        """Also after a partial up(): whatever exists goes. The mounts go with the mount namespaces' last process."""
        for h in (self.src, self.bak):
            h.down()
        if self.linked:  # a veth still outside the namespaces (up() failed before moving it)
            sh("ip", "link", "del", self.src.veth, check=False)
        shutil.rmtree(self.ident.work, ignore_errors=True)
