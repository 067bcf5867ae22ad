"""The source's filesystem unmounted, then the agent restarted: its initial sync sees the bare mount point."""
import os
import time

from .. import roots, trees
from ..fault import Fault
from ..states import Mount, Watch

WATCH = "rootboot"
SIZE = "16m"


def run(ctx):
    """Agent stopped, source unmounted, agent started (a reboot with the disk missing): the initial sync against the
    empty mount point is held by the default guard; the filesystem mounted back: level."""
    case = "source unmounted, agent restarted on the bare mount point, filesystem mounted back"
    src = ctx.src(WATCH)
    reference, before = roots.fill(ctx, WATCH, "b")
    disk = roots.copy_of(ctx, WATCH)
    ctx.source.kill()
    ctx.topo.src.umount(os.path.join("srv", WATCH))
    assert os.listdir(src) == [], "the bare mount point is empty"
    ctx.source.start(synced=False)
    reasons = roots.Reasons(ctx, WATCH, time.monotonic())
    # the agent cannot know a filesystem belongs there: it sees an empty source, and the default guard (max_delete
    # unset: a full sync may delete at most half the target) holds the initial sync
    tg = reasons.await_paused("mass_delete", 60)
    assert tg["alert"].startswith("mass delete held: the initial sync would delete"), tg["alert"]
    h = roots.health(ctx, WATCH)
    roots.expect_failing(h, "target.paused.mass_delete")
    k = trees.kept(reference, ctx.dst(WATCH), roots.KEPT_SECONDS)
    ctx.row("%s: on the bare mount point" % case, 1, WATCH, k, before, "%s; %s" % (roots.clause(tg["alert"]), h),
            settle=False)
    deleted = roots.changed_meanwhile(disk, "b")
    counters = ctx.source.counters(WATCH)
    roots.mount_with(ctx, "srv/" + WATCH, disk, SIZE)
    back = time.monotonic()
    roots.level(ctx, case, WATCH, back, counters, reasons, "mounted back with %d files deleted" % deleted)


FAULT = Fault("root-unmounted-restart", run, needs=(Watch(WATCH, max_delete=None), Mount("source", "srv/" + WATCH, SIZE)))
