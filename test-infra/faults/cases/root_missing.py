"""A source that does not exist when the agent starts, created later."""
import os
import time

from .. import roots
from ..fault import Fault
from ..states import Watch

WATCH = "rootmiss"


def run(ctx):
    """Agent stopped, source moved out of its path, agent started: paused (source_lost, waiting for it), the backup
    kept; the tree created at the path later (moved in at once): the guarded full sync brings the target level."""
    case = "source missing when the agent starts, created later"
    src = ctx.src(WATCH)
    away = src + ".away"
    reference, before = roots.fill(ctx, WATCH, "s")
    ctx.source.kill()
    os.rename(src, away)
    ctx.source.start(synced=False)
    reasons = roots.Reasons(ctx, WATCH, time.monotonic())
    roots.gone(ctx, case, WATCH, reference, before, reasons)
    deleted = roots.changed_meanwhile(away, "s")
    counters = ctx.source.counters(WATCH)
    os.rename(away, src)
    created = time.monotonic()
    roots.level(ctx, case, WATCH, created, counters, reasons, "created with %d files deleted: not held" % deleted)


FAULT = Fault("root-missing", run, needs=(Watch(WATCH, max_delete=None),))
