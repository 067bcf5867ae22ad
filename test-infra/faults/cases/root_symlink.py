"""A symlinked source: watched as the directory it resolves to; the link repointed; that directory moved away."""
import os
import time

from .. import roots, trees
from ..agent import AGENT
from ..fault import Fault, write
from ..states import Watch

WATCH = "rootlink"


def run(ctx):
    """The source a symlink (agent restarted on it): plan names the resolution, live changes arrive, repointing the
    link changes nothing until a restart; the resolved directory moved away (paused, the backup kept) and back."""
    src = ctx.src(WATCH)
    real = src + ".real"
    ctx.source.kill()
    os.rename(src, real)
    os.symlink(os.path.basename(real), src)
    plan = ctx.topo.src.run(AGENT, "plan", ctx.source.state, "--root", ctx.topo.src.root, check=False)
    shown = (plan.stdout + plan.stderr).decode(errors="replace")
    resolved = os.path.join(ctx.topo.src.root, "srv", WATCH + ".real")
    assert "resolves through a symlink to %s" % resolved in shown, "plan shows the resolution: " + shown[-1500:]
    ctx.source.start(synced=False)
    started = time.monotonic()
    before = ctx.source.counters(WATCH)
    w = ctx.source.target(WATCH)["watch"]
    assert w["source"] == resolved, "the watch shows the directory it watches: %r" % w["source"]
    assert w.get("backend") == "fanotify" or w["watched_directories"] > 0, "watched: %r" % w
    trees.burst(src, roots.FILES, "l", 256, per_dir=50)  # through the link
    c = ctx.replica(WATCH, started, 60)
    ctx.row("symlinked source (agent restarted on it): %d files written through the link" % roots.FILES, 1, WATCH, c,
            before, "plan: 'resolves through a symlink to …/%s.real'; watch source %s, %s" % (
                WATCH, os.path.basename(w["source"]), "fanotify" if w.get("backend") == "fanotify" else
                "inotify watches: %d" % w["watched_directories"]))
    reference = trees.target_snapshot(ctx.dst(WATCH))

    # the link repointed at an empty directory: the agent goes on watching what it resolved at start
    other = src + ".other"
    os.mkdir(other)
    os.unlink(src)
    os.symlink(os.path.basename(other), src)
    write(os.path.join(real, "l000", "after-repoint.bin"), b"written in the resolved directory")
    c = ctx.replica(WATCH, time.monotonic(), 30, source=real)
    ctx.row("symlinked source: the link repointed at an empty directory", 1, WATCH, c, before,
            "the resolved directory is still the one watched (a restart resolves again)")

    # the resolved directory moved away, then back
    case = "symlinked source: the directory it resolves to moved away, then back"
    reference, before = trees.target_snapshot(ctx.dst(WATCH)), ctx.source.counters(WATCH)
    os.rename(real, real + ".old")
    reasons = roots.Reasons(ctx, WATCH, time.monotonic())
    write(os.path.join(real + ".old", "l000", "while-away.bin"), b"changed while away")
    os.unlink(os.path.join(real + ".old", "l001", "l00050.bin"))
    roots.gone(ctx, case, WATCH, reference, before, reasons, "1 written, 1 deleted while away")
    counters = ctx.source.counters(WATCH)
    os.rename(real + ".old", real)
    back = time.monotonic()
    os.unlink(src)  # the link as it was, for the comparison and for a later restart
    os.symlink(os.path.basename(real), src)
    os.rmdir(other)
    roots.level(ctx, case, WATCH, back, counters, reasons)


FAULT = Fault("root-symlink", run, needs=(Watch(WATCH, max_delete=None),))
