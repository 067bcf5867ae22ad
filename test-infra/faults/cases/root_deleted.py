"""The watched source deleted (rm -rf) while the agent runs, and later created again, empty, then written to."""
import os
import shutil
import time

from .. import roots, trees
from ..fault import Fault
from ..states import Watch

WATCH = "rootdel"
CASE = "source deleted (rm -rf), recreated 3 s later"


def run(ctx):
    """rm -rf of the source: paused (source_lost), the backup kept; recreated: the full sync that would empty the
    backup is held until retry --allow-deletes."""
    src = ctx.src(WATCH)
    reference, before = roots.fill(ctx, WATCH, "d")
    shutil.rmtree(src)
    reasons = roots.Reasons(ctx, WATCH, time.monotonic())
    roots.gone(ctx, CASE, WATCH, reference, before, reasons)
    time.sleep(max(0.0, reasons.since + 3 - time.monotonic()))
    os.mkdir(src)
    written = trees.burst(src, 5, "new", 64)  # what the application writes into the new, empty directory
    confirmed, counters = roots.held(ctx, CASE, WATCH, reference, reasons)
    roots.level(ctx, CASE, WATCH, confirmed, counters, reasons,
                "%d files written into the recreated source; level from retry --allow-deletes" % written)


FAULT = Fault("root-deleted", run, needs=(Watch(WATCH, max_delete=None),))
