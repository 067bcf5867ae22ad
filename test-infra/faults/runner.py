"""The loop: for each watch backend asked for, two fresh hosts with what the selected faults need, every fault in
turn (a failure is reported, the shared parts healed, the next one runs), the report table, a total teardown."""
import contextlib
import fnmatch
import os
import shutil
import signal
import sys
import time
import traceback

from . import cases, fanotify, leaks, states
from .agent import Backup, Source
from .sshd import Sshd
from .fault import Context, Knobs
from .ident import ident
from .table import render
from .topology import Topology


SRV_SIZE = "4g"  # a limit, not a reservation: a full run keeps about 400 MB in each host's /srv


def log(msg):
    print(time.strftime("%H:%M:%S ") + msg, flush=True)


def select(spec, registry):
    """The faults FAULTS=a,b names (all when empty; a name may be a shell pattern: root-*), in the registry's order;
    ValueError on a name that matches none."""
    names = [n.strip() for n in spec.split(",") if n.strip()]
    known = [f.name for f in registry]
    unknown = [n for n in names if not fnmatch.filter(known, n)]
    if unknown:
        raise ValueError("unknown fault%s %s; known: %s" % ("s" if len(unknown) > 1 else "", ", ".join(unknown),
                                                             ", ".join(known)))
    return [f for f in registry if not names or any(fnmatch.fnmatchcase(f.name, n) for n in names)]


def backends(spec):
    """BACKENDS=inotify,fanotify: the whole selection once per backend; empty: once, with the agent's default."""
    return [b.strip() for b in spec.split(",") if b.strip()] or [None]


def variant(faults, backend, ran):
    """The faults of one backend's run: those that apply to it, less the backend-independent ones when an earlier
    variant ran them."""
    return [f for f in faults if f.applies(backend) and not (f.once and ran)]


def layout_of(faults):
    layout = states.Layout()
    for f in faults:
        layout.add(*f.needs)
    return layout


@contextlib.contextmanager
def uninterrupted():
    """A teardown that a second Ctrl-C or SIGTERM cannot cut short."""
    saved = {s: signal.signal(s, signal.SIG_IGN) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for s, handler in saved.items():
            signal.signal(s, handler)


def write_state(path, text):
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, 0o600)


class Unavailable(Exception):
    """The backend asked for cannot work on this machine: the variant is skipped, saying why."""


def set_up(idn, topo, layout, backend, scan=None):
    """The two hosts with the layout's state files, directories and mounts; the daemon converged (and the ssh
    account, with the backup host's sshd, when a watch goes over ssh), the agent synced. scan: the /proc scan, which
    looks for the ssh key too. Unavailable when fanotify is asked for and cannot work here."""
    topo.up()
    for h in (topo.src, topo.bak):
        os.makedirs(h.root)
    ssh = Sshd(idn, topo.bak, topo.src) if states.ssh_watches(layout) else None
    if ssh:
        ssh.make_keys()
        if scan:
            scan.secrets.extend(ssh.secret_lines())
    for h, text in ((topo.bak, states.backup_state(idn, layout, ssh and ssh.public_key())),
                    (topo.src, states.source_state(idn, layout, backend, ssh and ssh.host_key()))):
        write_state(os.path.join(idn.work, h.name + ".yaml"), text)
    for h in (topo.src, topo.bak):
        h.mount_tmpfs("srv", SRV_SIZE)
    why = fanotify.problem(topo.src.path("srv")) if backend == "fanotify" else None
    if why:
        raise Unavailable(why)
    for w in layout.watches:
        os.makedirs(topo.src.path("srv/" + w.name))
    for m in layout.mounts:
        topo.hosts[m.host].mount_tmpfs(m.rel, m.size)
    daemon = bool(layout.modules) or any(not w.ssh for w in layout.watches)
    backup = Backup(idn, topo.bak, os.path.join(idn.work, "backup.yaml"), daemon)
    source = Source(idn, topo.src, os.path.join(idn.work, "source.yaml"))
    backup.converge()
    if ssh:
        ssh.start()
        backup.sshd = ssh
    source.start()
    return backup, source


def run_variant(idn, faults, backend, knobs, rows):
    """Runs faults on fresh hosts; returns the names of those that failed, and whether the variant ran (not skipped
    for a backend this machine lacks, its hosts set up)."""
    layout = layout_of(faults)
    topo = Topology(idn)
    failures = []
    label = "" if backend is None else "[%s] " % backend
    scan = None
    try:
        scan = leaks.ProcScan(idn.secrets).start()  # from the first converge on: its rsyncs are scanned too
        try:
            backup, source = set_up(idn, topo, layout, backend, scan)
        except Unavailable as e:
            log(label + fanotify.skipped(e))
            return [], False
        except Exception as e:
            log("%ssetting up the hosts FAILED: %s" % (label, e))
            traceback.print_exc()
            return [label + "setup"], False
        log("%stwo hosts up: source %s (%s), backup %s (%s), %d watches" % (
            label, topo.src.ns, idn.src_ip, topo.bak.ns, idn.bak_ip, len(layout.watches)))
        ctx = Context(idn, topo, source, backup, layout, backend, knobs, rows)
        for i, f in enumerate(faults):
            if not f.scanned and scan:
                failures += finish_scan(scan, label)
                scan = None
            log("== %s%s: %s" % (label, f.name, f.doc))
            started = time.monotonic()
            try:
                note = f.run(ctx)
                log("   ok (%.0f s)%s" % (time.monotonic() - started, ": %s" % note if note else ""))
            except Exception as e:
                failures.append(label + f.name)
                log("   FAILED (%.0f s): %s" % (time.monotonic() - started, e))
                traceback.print_exc()
                try:
                    ctx.heal()
                except Exception as e:
                    rest = [label + g.name for g in faults[i + 1:]]
                    log("   healing the hosts FAILED (%s): not run: %s" % (e, ", ".join(rest) or "none"))
                    failures += [n + " (not run)" for n in rest]
                    break
        if scan:
            failures += finish_scan(scan, label)
            scan = None
    finally:
        with uninterrupted():
            if scan:
                scan.stop()
            keep_logs(idn, topo, backend)
            started = time.monotonic()
            topo.down()
            if states.ssh_watches(layout):
                Sshd(idn, topo.bak, topo.src).remove_account()  # its processes went with the backup namespace
            log("%shosts torn down in %.1f s" % (label, time.monotonic() - started))
    return failures, True


def finish_scan(scan, label):
    scan.stop()
    log("== %sargv/environ scan: %d scans of /proc during the faults, hits: %s" % (
        label, scan.scans, sorted(scan.hits) or "none"))
    return [label + "argv/environ"] if scan.hits else []


def keep_logs(idn, topo, backend):
    suffix = "" if backend is None else "-" + backend
    for src, dst in ((os.path.join(idn.work, "source-agent.log"), "/tmp/faults-last-agent%s.log" % suffix),
                     (os.path.join(topo.bak.root, "var/log/rsyncd.log"), "/tmp/faults-last-rsyncd%s.log" % suffix)):
        with contextlib.suppress(OSError):
            shutil.copyfile(src, dst)


def main(env=os.environ):
    if os.geteuid() != 0:
        sys.exit("faults: needs root (network namespaces, mounts)")
    if "ONLY" in env:
        sys.exit("faults: ONLY= is now FAULTS= (e.g. FAULTS=daemon,link)")
    try:
        faults = select(env.get("FAULTS", ""), cases.ALL)
    except ValueError as e:
        sys.exit("faults: FAULTS: %s" % e)
    knobs = Knobs.of(env)

    def interrupt(signum, frame):
        raise KeyboardInterrupt()

    for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):  # SIGINT too: a shell starts `cmd &` with it ignored
        signal.signal(s, interrupt)
    started = time.monotonic()
    rows, failures = [], []
    try:
        ran = False
        for i, backend in enumerate(backends(env.get("BACKENDS", ""))):
            chosen = variant(faults, backend, ran)
            if len(chosen) < len([f for f in faults if f.applies(backend)]):
                log("[%s] backend-independent, run in the first variant: %s" % (backend, ", ".join(
                    f.name for f in faults if f.applies(backend) and f not in chosen)))
            failed, done = run_variant(ident(os.getpid(), i), chosen, backend, knobs, rows)
            failures += failed
            ran = ran or done
    except KeyboardInterrupt:
        failures.append("interrupted")
    print("\n" + render(rows))
    log("suite %s in %.0f s%s" % ("FAILED" if failures else "passed", time.monotonic() - started,
                                  ": " + ", ".join(failures) if failures else ""))
    sys.exit(1 if failures else 0)
