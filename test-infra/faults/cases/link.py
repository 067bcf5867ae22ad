"""The link between the hosts goes down mid-transfer, then while idle."""
import os
import time

from .. import trees
from ..agent import await_
from ..fault import Fault, sleep_until
from ..states import Watch
from ..status import idle, pending

WATCH = "link"


def run(ctx):
    """Link down for LINK_DOWN_SECONDS (30) in the middle of a 5,000-file burst, then up; again while idle."""
    down_s = ctx.knobs.link_down_seconds
    src = ctx.src(WATCH)
    # 1. mid-transfer: the link goes while an rsync is sending the first half; the second half is written while down
    before = ctx.source.counters(WATCH)
    written = trees.burst(os.path.join(src, "linkdown"), 2500, "a", 2048)
    await_("an rsync in flight", lambda: ctx.source.target(WATCH)["in_flight"], 30, 0.02)
    ctx.topo.link(False)
    down_at = time.monotonic()
    at_down = ctx.source.counters(WATCH)
    written += trees.burst(os.path.join(src, "linkdown"), 2500, "b", 2048)
    sleep_until(down_at + down_s)
    while_down = ctx.source.counters(WATCH).since(at_down)
    ctx.topo.link(True)
    up = time.monotonic()
    c = ctx.replica(WATCH, up, 180)
    ctx.row("link down %.0f s mid %d-file burst (an rsync in flight stalls)" % (up - down_at, written), 1, WATCH, c,
            before, "rsync runs / retries while down: %s" % while_down)

    # 2. down while idle: every push fails at once (network unreachable), so only the backoff limits the attempts
    await_("link idle", lambda: idle(ctx.source.target(WATCH)), 60)
    ctx.topo.link(False)
    down_at = time.monotonic()
    before = ctx.source.counters(WATCH)
    written = trees.burst(os.path.join(src, "linkdown-idle"), 500, "c", 2048)
    sleep_until(down_at + down_s)
    tg = ctx.source.target(WATCH)
    ctx.topo.link(True)
    up = time.monotonic()
    attempts = tg["rsync_runs"] - before.runs
    assert pending(tg) > 0, "the backlog is visible while the link is down: %r" % tg
    c = ctx.replica(WATCH, up, 400)
    ctx.row("link down %.0f s while idle, %d files written meanwhile" % (up - down_at, written), 1, WATCH, c, before,
            "while down: %d runs / %d retries, %d pending in the status (next_retry %s)" % (
                attempts, tg["retries"] - before.retries, pending(tg), tg["next_retry"]))
    # backoff from 1 s, doubling: ~log2(down_s) attempts; a hot loop would make hundreds
    assert attempts <= 2 * (int(up - down_at).bit_length() + 2), "no hot loop: %d rsync runs in %.0f s" % (
        attempts, up - down_at)


FAULT = Fault("link", run, needs=(Watch(WATCH, bwlimit_kbps=4000),), once=True)
