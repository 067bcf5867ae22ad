"""Where a secret must not be: any process's argv, the environment of anything but the agents this suite started
(an rsync child included), and any file the agents write (logs, status, queue files)."""
import os
import threading

from . import procs


def read_processes():
    """{pid: (parent, comm, argv bytes, environ bytes)} of every process readable now."""
    out = {}
    for pid in procs.pids():
        try:
            with open("/proc/%d/stat" % pid, "rb") as f:
                st = f.read()
            with open("/proc/%d/cmdline" % pid, "rb") as f:
                argv = f.read()
            with open("/proc/%d/environ" % pid, "rb") as f:
                environ = f.read()
        except OSError:
            continue  # gone, or a kernel thread
        head, tail = st.rsplit(b")", 1)
        out[pid] = (int(tail.split()[1]), head.split(b"(", 1)[1], argv, environ)
    return out


def proc_leaks(processes, secrets, driver):
    """What holds a secret: argv of anything; environ of anything but the driver's non-rsync descendants (the driver
    gives the passwords to the agents it starts, as the state's {env: NAME} sources; an rsync child must not get them)."""
    exempt = procs.descendants(driver, {p: v[0] for p, v in processes.items()})
    hits = set()
    for pid, (_, comm, argv, environ) in processes.items():
        for what, data in (("cmdline", argv), ("environ", environ)):
            if not any(s in data for s in secrets):
                continue
            if what == "environ" and comm != b"rsync" and pid in exempt:
                continue
            hits.add("%s of pid %d (%s: %s)" % (what, pid, comm.decode(errors="replace"),
                                                argv.split(b"\0")[0][:60].decode(errors="replace")))
    return hits


class ProcScan:
    """proc_leaks every interval in a thread, while the faults run."""

    def __init__(self, secrets, interval=0.05):
        self.secrets = secrets
        self.interval = interval
        self.hits = set()
        self.scans = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            self.hits |= proc_leaks(read_processes(), self.secrets, os.getpid())
            self.scans += 1
            self._stop.wait(self.interval)

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._stop.set()
        self._thread.join()


def files_holding(root, secrets, allowed=()):
    """(files read, files holding a secret) under root; allowed: files that hold one by design (the secrets file, the
    client password files). Symlinks are not followed."""
    read, hits = 0, []
    for dirpath, _, names in os.walk(root):
        for n in names:
            p = os.path.join(dirpath, n)
            if p in allowed or os.path.islink(p) or not os.path.isfile(p):
                continue
            read += 1
            with open(p, "rb") as f:
                data = f.read()
            if any(s in data for s in secrets):
                hits.append(p)
    return read, sorted(hits)


def outputs_holding(outputs, secrets):
    """The names of the outputs ({name: bytes}) holding a secret."""
    return sorted(k for k, v in outputs.items() if any(s in v for s in secrets))
