"""mv source source.old; mkdir source: another directory takes the root's place, and the old tree lives on."""
import os
import shutil
import time

from .. import roots, trees
from ..fault import Fault, write
from ..states import Watch

WATCH = "rootrepl"
CASE = "mv source source.old; mkdir source; writes and deletes under source.old"


def churn(old):
    """Writes and deletes under the moved-away tree, at paths that do not exist in the new source: resolved against
    it, each would be sent as a delete (--delete-missing-args). Returns how many."""
    changed = 0
    for i in range(0, 50, 5):
        write(os.path.join(old, "r000", "r%05d.bin" % i), b"rewritten under source.old")
        changed += 1
    for name in sorted(os.listdir(os.path.join(old, "r001"))):
        os.unlink(os.path.join(old, "r001", name))
        changed += 1
    trees.burst(os.path.join(old, "born-in-old"), 20, "o", 64)
    os.rename(os.path.join(old, "r002"), os.path.join(old, "r002-renamed"))
    return changed + 21


def run(ctx):
    """The root replaced by a new directory while the agent runs; the old tree is changed afterwards: none of its
    changes reach the backup, the full sync against the new (empty) root is held until retry --allow-deletes."""
    src = ctx.src(WATCH)
    old = src + ".old"
    reference, before = roots.fill(ctx, WATCH, "r")
    os.rename(src, old)
    os.mkdir(src)
    since = time.monotonic()
    changes = churn(old)
    reasons = roots.Reasons(ctx, WATCH, since)
    # the new directory is on the same filesystem: it is taken as the root at once, and what was lost is only seen
    # in passing; the full sync against it is what must not go through
    confirmed, counters = roots.held(ctx, CASE, WATCH, reference, reasons)
    roots.level(ctx, CASE, WATCH, confirmed, counters, reasons,
                "%d changes under source.old, none sent; level from retry --allow-deletes" % changes)
    shutil.rmtree(old)


FAULT = Fault("root-replaced", run, needs=(Watch(WATCH, max_delete=None),))
