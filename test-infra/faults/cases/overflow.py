"""The event queue while the agent cannot read it: inotify's overflows (full resync), fanotify's is unlimited."""
import os
import time

from .. import trees
from ..agent import await_
from ..fault import Fault, read_int
from ..states import Watch

WATCH = "flood"


def run(ctx):
    """50,000 files created while the agent is stopped (SIGSTOP): on inotify (default max_queued_events) an overflow
    and a full resync; on fanotify the unlimited queue keeps every event: no overflow, nothing lost."""
    queued = read_int("/proc/sys/fs/inotify/max_queued_events")
    src = ctx.src(WATCH)
    dirs = 50
    for i in range(dirs):  # watched first: files in a directory nobody watches yet make no events
        os.makedirs(os.path.join(src, "o%03d" % i))
    backend = ctx.source.target(WATCH)["watch"].get("backend")
    if backend == "fanotify":  # one mark covers every directory: replicated means seen
        ctx.replica(WATCH, time.monotonic(), 60)
    else:
        await_("%s watches its directories" % WATCH,
               lambda: ctx.source.target(WATCH)["watch"]["watched_directories"] > dirs, 30)
    before = ctx.source.counters(WATCH)
    overflows0 = ctx.source.target(WATCH)["watch"]["overflows"]
    ctx.source.stop()
    try:
        written = trees.burst(src, 50000, "o", 64, per_dir=1000)
    finally:
        ctx.source.cont()
    resumed = time.monotonic()
    c = ctx.replica(WATCH, resumed, 300)
    overflows = ctx.source.target(WATCH)["watch"]["overflows"] - overflows0
    if backend == "fanotify":
        ctx.row("fanotify: %d files created while the agent was stopped (unlimited queue)" % written,
                1, WATCH, c, before, "overflows counted in the status: %d" % overflows)
        assert overflows == 0, "fanotify's unlimited queue kept every event"
    else:
        ctx.row("inotify overflow: %d files created while the agent was stopped (max_queued_events %d)" % (written, queued),
                1, WATCH, c, before, "overflows counted in the status: %d" % overflows)
        assert overflows >= 1, "the overflow was seen"


FAULT = Fault("overflow", run, needs=(Watch(WATCH),))
