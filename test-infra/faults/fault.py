"""A fault's declaration (what it needs from the hosts, which backends it applies to) and the context it runs in."""
import contextlib
import os
import time
from dataclasses import dataclass, field

from . import trees
from .agent import await_
from .status import Counters, idle
from .table import Row


@dataclass(frozen=True)
class Fault:
    """name: how FAULTS= selects it. run(ctx) injects, measures and records rows (ctx.row); an AssertionError fails it,
    a returned string is logged. needs: the states.Watch/Module/Mount declarations the hosts get for it. scanned: the
    /proc secret scan runs during it (False for a check that hands a password to a process itself; these run last).
    backends: the watch backends it means something on (None: every one). once: it does not depend on the watch
    backend (a network outage, a daemon, the target's disk, the control socket): with several backends asked for it
    runs in the first variant that runs only."""
    name: str
    run: object
    needs: tuple = ()
    scanned: bool = True
    backends: tuple = None
    once: bool = False

    @property
    def doc(self):
        return (self.run.__doc__ or self.name).strip().splitlines()[0]

    def applies(self, backend):
        return self.backends is None or backend is None or backend in self.backends


@dataclass(frozen=True)
class Knobs:
    soak_seconds: int = 600
    link_down_seconds: int = 30
    soak_seed: int = 1

    @staticmethod
    def of(env):
        return Knobs(int(env.get("SOAK_SECONDS", "600")), int(env.get("LINK_DOWN_SECONDS", "30")),
                     int(env.get("SOAK_SEED", "1")))


@dataclass
class Context:
    """What a fault works with: the run's names, the two hosts, the agents, the requested backend, the knobs."""
    ident: object
    topo: object
    source: object  # agent.Source
    backup: object  # agent.Backup
    layout: object  # states.Layout
    backend: object  # the requested watch backend, None for the agent's default
    knobs: Knobs
    rows: list = field(default_factory=list)

    def src(self, watch):
        """A watch's source directory, as the source host sees it (its tmpfs mounts included)."""
        return self.topo.src.path("srv/" + watch)

    def dst(self, watch):
        """The backup host's module directory of a watch."""
        return self.topo.bak.path("srv/" + watch)

    def replica(self, watch, since, timeout, source=None):
        """trees.converge of the watch's target with its source (or with another reference tree)."""
        return trees.converge(source or self.src(watch), self.dst(watch), since, timeout)

    def row(self, fault, injected, watch=None, convergence=None, counters=None, notes="", backend="-", settle=True):
        """Records a row of the report (the backend and the rsync runs / retries since counters, read from the
        agent's status for watch: once the target is idle again, unless not settle), then fails when the target did
        not converge (a trees.Convergence) or did not keep its files (a trees.Kept), naming the paths."""
        runs = "-"
        if watch:
            try:
                backend = self.source.target(watch)["watch"].get("backend") or "-"
                if counters:  # the runs that converged it are counted once the target is idle again
                    tg = self.source.target(watch)
                    with contextlib.suppress(AssertionError):
                        tg = tg if not settle else await_("%s idle" % watch, lambda: (lambda x: x if idle(x) else None)(
                            self.source.target(watch)), 30)
                    runs = Counters.of(tg, self.source.proc.pid).since(counters) + (
                        "" if idle(tg) or not settle else " (busy)")
            except (OSError, ValueError) as e:  # the row is recorded all the same
                backend, runs = "?", "agent not answering: %s" % e
        if convergence and convergence.leftovers:
            notes = (notes + "; " if notes else "") + "%d files left in .agent/tmp" % convergence.leftovers
        self.rows.append(Row(fault, backend, injected, convergence, runs, notes))
        if self.backend and watch and backend != self.backend:
            raise AssertionError("%s: the agent runs backend %s, %s was asked for" % (fault, backend, self.backend))
        if convergence and not convergence.ok:
            raise AssertionError("%s: %s" % (fault, convergence.why()))

    def heal(self):
        """After a failed fault, the shared parts back to normal for the next: link up, the daemon converged (right
        password, running), the agent running and not stopped."""
        self.topo.link(True)
        self.source.cont()
        self.backup.converge()
        if self.backup.sshd and not self.backup.sshd.alive():
            self.backup.sshd.start()
        if not self.source.alive():
            self.source.start(synced=False)


def sleep_until(at):
    """Waits for a moment on the monotonic clock: a fault's duration, or an observation window."""
    time.sleep(max(0.0, at - time.monotonic()))


def read_int(path):
    with open(path) as f:
        return int(f.read())


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
