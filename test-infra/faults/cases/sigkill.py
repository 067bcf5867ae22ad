"""The source agent is killed (SIGKILL) mid-burst; changes happen while it is dead; it restarts."""
import os
import time

from .. import trees
from ..fault import Fault
from ..states import Watch

WATCH = "sigkill"


def run(ctx):
    """The source agent SIGKILLed in the middle of a burst (with deletes and renames), restarted."""
    base = os.path.join(ctx.src(WATCH), "sigkill")
    written = trees.burst(base, 1500, "k", 1024)
    before = ctx.source.counters(WATCH)
    in_flight = ctx.source.target(WATCH)["in_flight"]
    ctx.source.kill()
    written += trees.burst(base, 1500, "m", 1024)
    os.rename(os.path.join(base, "k000"), os.path.join(base, "k000-renamed"))
    deleted = 0
    for name in os.listdir(os.path.join(base, "k001")):
        os.unlink(os.path.join(base, "k001", name))
        deleted += 1
    restarted = time.monotonic()
    ctx.source.start()
    c = ctx.replica(WATCH, restarted, 120)
    ctx.row("source agent SIGKILL mid-burst (%d files written, then 1 directory renamed and %d files deleted while it "
            "was dead)" % (written, deleted), 1, WATCH, c, before,
            "%d rsyncs in flight at the kill" % in_flight)


FAULT = Fault("sigkill", run, needs=(Watch(WATCH),))
