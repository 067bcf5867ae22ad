"""The mass-delete guard: a source emptied, a subtree removed, an unmounted source seen by a restarted agent."""
import os
import shutil
import time

from .. import trees
from ..agent import await_
from ..fault import Fault
from ..states import Mount, Watch
from ..status import paused

WATCH, MAX_DELETE = "guarded", 50
TARGET = "%s/%s" % (WATCH, WATCH)


def run(ctx):
    """max_delete 50: a source that becomes empty, disappears, or is unmounted does not wipe the backup."""
    src, dst = ctx.src(WATCH), ctx.dst(WATCH)

    def filled(prefix):
        trees.burst(src, 200, prefix, 128, per_dir=200)
        c = ctx.replica(WATCH, time.monotonic(), 60)
        assert c.ok, "the guarded target before the fault: " + c.diff.describe()
        return trees.target_snapshot(dst)

    def paused_for_deletes():
        tg = ctx.source.target(WATCH)
        return tg if paused(tg, "mass_delete", "delete") else None

    def confirmed(case, deleted, before, tg, kept, notes=""):
        """The operator confirms (retry --allow-deletes): the target follows the source."""
        counters = ctx.source.counters(WATCH)
        confirm = time.monotonic()
        ctx.source.call("retry", {"target": TARGET, "allow_deletes": True})
        c = ctx.replica(WATCH, confirm, 60)
        ctx.row("delete guard max_delete=%d: %s (%d files deleted); retry --allow-deletes" % (MAX_DELETE, case, deleted),
                1, WATCH, c, counters, "paused (%s); the backup kept %d of %d files%s" % (
                    tg["alert"][:90], kept, trees.files(before), notes))

    # 1. the source emptied live; resume alone does not confirm
    before = filled("g")
    deleted = 0
    for dirpath, _, names in os.walk(src):
        for name in names:
            os.unlink(os.path.join(dirpath, name))
            deleted += 1
    tg = await_("%s paused (emptied)" % WATCH, paused_for_deletes, 60)
    assert trees.target_snapshot(dst) == before, "backup intact while paused"
    ctx.source.call("resume", {"target": TARGET})  # resumes; the mass delete is refused again (no confirmation)
    states = []
    end = time.monotonic() + 2
    while time.monotonic() < end:  # for 2 s: nothing deleted, whatever the state
        states.append(ctx.source.target(WATCH)["state"])
        assert trees.target_snapshot(dst) == before, "backup intact after resume alone"
        time.sleep(0.1)
    await_("%s paused again after resume alone" % WATCH, paused_for_deletes, 60)
    assert trees.target_snapshot(dst) == before, "backup intact after resume alone"
    seen = [x for i, x in enumerate(states) if i == 0 or states[i - 1] != x]
    confirmed("source emptied live", deleted, before, tg, trees.files(before),
              "; resume alone: %s, then paused again, nothing deleted" % " → ".join(seen))

    # 2. a subtree removed live
    before = filled("h")
    deleted = len(os.listdir(os.path.join(src, "h000")))
    shutil.rmtree(os.path.join(src, "h000"))
    tg = await_("%s paused (subtree gone)" % WATCH, paused_for_deletes, 60)
    assert trees.target_snapshot(dst) == before, "backup intact while paused"
    confirmed("a subtree removed live", deleted, before, tg, trees.files(before))

    # 3. unmounted, then the agent restarts (a reboot with the disk missing): the initial full sync sees an empty source
    before = filled("j")  # new names: same-size rewrites in the same second escape rsync's quick check
    ctx.source.kill()
    ctx.topo.src.umount(os.path.join("srv", WATCH))
    assert os.listdir(src) == [], "the mount point is empty"
    ctx.source.start(synced=False)
    tg = await_("%s paused (unmounted)" % WATCH, paused_for_deletes, 60)
    kept = trees.files(trees.target_snapshot(dst))
    # a full sync is limited by rsync's --max-delete: at most max_delete files go before the target pauses
    assert kept >= trees.files(before) - MAX_DELETE, "backup not wiped by the initial sync of an unmounted source: " \
                                                     "%d of %d left" % (kept, trees.files(before))
    confirmed("source unmounted + agent restarted", trees.files(before), before, tg, kept)


FAULT = Fault("guard", run, needs=(Watch(WATCH, max_delete=MAX_DELETE), Mount("source", "srv/" + WATCH, "16m")))
