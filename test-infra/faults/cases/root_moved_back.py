"""mv source source.old, changes there, then mv source.old source: the same directory comes back."""
import os
import time

from .. import roots, trees
from ..fault import Fault, write
from ..states import Watch

WATCH = "rootmv"
CASE = "mv source source.old (changed there), then mv source.old source"


def run(ctx):
    """The root moved away (paused, the backup kept, nothing sent of what changes under its new name), moved back:
    the guarded full sync sends what changed meanwhile (a tenth deleted: not held)."""
    src = ctx.src(WATCH)
    old = src + ".old"
    reference, before = roots.fill(ctx, WATCH, "m")
    os.rename(src, old)
    reasons = roots.Reasons(ctx, WATCH, time.monotonic())
    for i in range(0, 50, 5):
        write(os.path.join(old, "m000", "m%05d.bin" % i), b"rewritten while away")
    deleted = 0
    for name in sorted(os.listdir(os.path.join(old, "m001")))[:20]:
        os.unlink(os.path.join(old, "m001", name))
        deleted += 1
    trees.burst(os.path.join(old, "while-away"), 10, "w", 64)
    roots.gone(ctx, CASE, WATCH, reference, before, reasons, "10 rewritten, %d deleted, 10 created under source.old"
               % deleted)
    counters = ctx.source.counters(WATCH)
    os.rename(old, src)
    back = time.monotonic()
    roots.level(ctx, CASE, WATCH, back, counters, reasons, "not held: %d of %d files deleted" % (
        deleted, trees.files(reference)))


FAULT = Fault("root-moved-back", run, needs=(Watch(WATCH, max_delete=None),))
