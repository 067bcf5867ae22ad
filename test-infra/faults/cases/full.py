"""The backup module's filesystem fills up; space is freed; a retry drains."""
import os
import time

from .. import trees
from ..agent import await_
from ..fault import Fault
from ..states import Mount, Watch
from ..status import alert_has

WATCH = "fill"


def run(ctx):
    """The backup module on a 2 MiB tmpfs (backup host's mount namespace) fills up; space freed; retry drains."""
    before = ctx.source.counters(WATCH)
    written = trees.burst(ctx.src(WATCH), 40, "z", 100 << 10, per_dir=10)  # 4 MB into 2 MiB
    tg = await_("%s alerts: the target filesystem is full" % WATCH, lambda: (lambda x: x if alert_has(
        x, "no space left", "exit 11") else None)(ctx.source.target(WATCH)), 90)
    assert tg["state"] != "paused", "a full target keeps retrying (space may come back)"
    ctx.topo.bak.run("mount", "-o", "remount,size=64m", os.path.join(ctx.topo.bak.root, "srv", WATCH))
    freed = time.monotonic()
    ctx.source.call("retry", {"target": "%s/%s" % (WATCH, WATCH)})
    c = ctx.replica(WATCH, freed, 120)
    await_("the alert clears", lambda: ctx.source.target(WATCH)["alert"] is None, 30)
    ctx.row("backup filesystem full (2 MiB tmpfs, %d files of 100 KiB), then remounted 64 MiB + retry" % written, 1,
            WATCH, c, before, "alert: %s (cleared after)" % tg["alert"].strip()[:100])


FAULT = Fault("full", run, needs=(Watch(WATCH), Mount("backup", "srv/" + WATCH, "2m")), once=True)
