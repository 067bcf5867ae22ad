"""The rsync daemon dies mid-transfer; then it comes back with the wrong password for one user."""
import os
import random
import time

from .. import trees
from ..agent import await_
from ..fault import Fault, sleep_until, write
from ..states import Watch
from ..status import paused, pending

WATCH, SIDE = "daemon", "side"
BLOBS, BLOB = 20, 4 << 20


def run(ctx):
    """rsync daemon killed mid-transfer and restarted; then a wrong password on the daemon, fixed, retry drains."""
    src, dst = ctx.src(WATCH), ctx.dst(WATCH)
    rng = random.Random(7)
    before = ctx.source.counters(WATCH)
    for i in range(BLOBS):  # 80 MB at 20 MB/s (the watch's bwlimit): the daemon dies while they are in flight
        write(os.path.join(src, "big", "blob%02d" % i), rng.randbytes(BLOB))

    def complete():  # blobs in place on the target (rsync renames a blob there once it is whole)
        try:
            return sum(1 for e in os.scandir(os.path.join(dst, "big")) if e.name.startswith("blob")
                       and e.stat(follow_symlinks=False).st_size == BLOB)
        except FileNotFoundError:
            return 0

    await_("a transfer of the blobs in flight", lambda: ctx.source.target(WATCH)["in_flight"] and complete() < BLOBS,
           30, 0.02)
    on_target = complete()
    ctx.backup.kill_daemon()
    killed = time.monotonic()
    temps = sum(1 for p in trees.target_snapshot(dst) if trees.rsync_temp(p)) + trees.leftovers(dst)
    written = trees.burst(os.path.join(src, "while-daemon-dead"), 300, "d", 1024)
    sleep_until(killed + 3)
    ctx.backup.converge()
    back = time.monotonic()
    c = ctx.replica(WATCH, back, 120)
    ctx.row("rsync daemon SIGKILL mid-transfer (%d of %d blobs of 4 MiB on the target), down %.1f s, %d files "
            "written meanwhile" % (on_target, BLOBS, back - killed, written), 1, WATCH, c, before,
            "rsync temp files on the target after the kill: %d" % temps)

    # the daemon restarted with another password for user `backup`: that target pauses, user `other`'s keeps going
    before = ctx.source.counters(WATCH)
    wrong = "wrong-" + ctx.ident.password2
    ctx.backup.converge(password=wrong)
    ctx.backup.kill_daemon()
    ctx.backup.converge(password=wrong)
    written = trees.burst(os.path.join(src, "auth"), 50, "p", 256)
    side_before = ctx.source.counters(SIDE)
    trees.burst(ctx.src(SIDE), 50, "s", 256)
    side_written = time.monotonic()
    tg = await_("%s paused with an auth alert" % WATCH,
                lambda: (lambda x: x if paused(x, "error", "auth") else None)(ctx.source.target(WATCH)), 60)
    paused_at = time.monotonic()
    c = ctx.replica(SIDE, side_written, 60)
    ctx.row("another user's target while %s's password is wrong" % WATCH, 0, SIDE, c, side_before,
            "state %s" % ctx.source.target(SIDE)["state"])
    assert ctx.source.target(SIDE)["state"] != "paused", "the other user's target is not paused"
    unsent = trees.diff(trees.snapshot(src), trees.target_snapshot(dst))
    assert pending(tg) > 0 and unsent.lost, "the unsent changes are visible: %r, %s" % (tg, unsent.describe())
    sleep_until(paused_at + 10)
    window = time.monotonic() - paused_at
    runs_paused = ctx.source.target(WATCH)["rsync_runs"] - tg["rsync_runs"]
    assert runs_paused == 0, "a paused target is not retried by itself: %d rsync runs" % runs_paused
    ctx.backup.converge()
    fixed = time.monotonic()
    ctx.source.call("retry", {"target": "%s/%s" % (WATCH, WATCH)})
    c = ctx.replica(WATCH, fixed, 60)
    healthy = await_("%s healthy" % WATCH, lambda: (lambda x: x if x["state"] != "paused" and not x["alert"] else None)(
        ctx.source.target(WATCH)), 30)
    ctx.row("daemon restarted with a wrong password, %d files written; converge with the right one + retry" % written,
            1, WATCH, c, before, "alert: %s | while paused: %d lost on the target, %d pending in the status, "
                                 "%d rsync runs in %.0f s | after: state %s" % (
                tg["alert"][:70], len(unsent.lost), pending(tg), runs_paused, window, healthy["state"]))


FAULT = Fault("daemon", run, needs=(Watch(WATCH, bwlimit_kbps=20000), Watch(SIDE, user="other")), once=True)
