"""The source's filesystem (a tmpfs of the source host) unmounted while the agent runs, mounted back later."""
import os
import time

from .. import roots, trees
from ..fault import Fault
from ..states import Mount, Watch

WATCH = "rootumount"
SIZE = "16m"


def run(ctx):
    """umount of the source: paused (source_lost), the backup kept, nothing sent of what is written into the bare
    mount point; the filesystem mounted back with its files: the guarded full sync sends what changed meanwhile."""
    case = "source's filesystem unmounted while the agent runs, mounted back"
    src = ctx.src(WATCH)
    reference, before = roots.fill(ctx, WATCH, "u")
    disk = roots.copy_of(ctx, WATCH)
    ctx.topo.src.umount(os.path.join("srv", WATCH))
    reasons = roots.Reasons(ctx, WATCH, time.monotonic())
    bare = trees.burst(src, 20, "bare", 64)  # an application that did not notice writes into the bare mount point
    roots.gone(ctx, case, WATCH, reference, before, reasons,
               "%d files written into the bare mount point, none sent" % bare)
    deleted = roots.changed_meanwhile(disk, "u")
    counters = ctx.source.counters(WATCH)
    roots.mount_with(ctx, "srv/" + WATCH, disk, SIZE)
    back = time.monotonic()
    roots.level(ctx, case, WATCH, back, counters, reasons, "mounted back with %d files deleted: not held" % deleted)


FAULT = Fault("root-unmounted", run, needs=(Watch(WATCH, max_delete=None), Mount("source", "srv/" + WATCH, SIZE)))
