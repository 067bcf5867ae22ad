"""What the watch-root faults share: a watched tree filled and replicated (its snapshot is what the backup must keep),
the target's pause reasons followed while the root is gone, what `agent status` and `agent doctor` say meanwhile (run
on the source host, as an operator would), and the two rows of each fault: the backup held against its snapshot
while the root is gone, then level with the tree that came back."""
import json
import os
import shutil
import time
from dataclasses import dataclass

from . import trees
from .agent import AGENT, await_
from .fault import write
from .states import SOCKET

FILES = 200
LOST_WITHIN = 15  # s: a lost root is seen after at most a check interval (1 s) and a mount table poll
KEPT_SECONDS = 2  # the window over which the backup is measured against its snapshot


def fill(ctx, watch, prefix, count=FILES):
    """count files of 256 bytes written in directories of 50, replicated; returns the target's snapshot (what the
    backup must keep) and the counters before the fault."""
    trees.burst(ctx.src(watch), count, prefix, 256, per_dir=50)
    c = ctx.replica(watch, time.monotonic(), 60)
    assert c.ok, "%s before the fault: %s" % (watch, c.diff.describe())
    return trees.target_snapshot(ctx.dst(watch)), ctx.source.counters(watch)


class Reasons:
    """The target's states as polled: `idle`, `paused (source_lost)`…, each change once, with when it was first seen."""

    def __init__(self, ctx, watch, since):
        self.ctx, self.watch, self.since = ctx, watch, since
        self.seen = []  # (seconds after since, label)

    def poll(self):
        tg = self.ctx.source.target(self.watch)
        label = tg["state"] + (" (%s)" % tg.get("pause_reason") if tg["state"] == "paused" else "")
        if not self.seen or self.seen[-1][1] != label:
            self.seen.append((time.monotonic() - self.since, label))
        return tg

    def await_paused(self, reason, timeout=LOST_WITHIN):
        """The target paused for reason (the status's pause_reason); returns it."""
        return await_("%s paused (%s)" % (self.watch, reason), lambda: (lambda tg: tg if tg["state"] == "paused" and
                      tg.get("pause_reason") == reason else None)(self.poll()), timeout, 0.05)

    def at(self, label):
        """Seconds after since when label was first seen."""
        return next(t for t, seen in self.seen if seen == label)

    def __str__(self):
        return " → ".join("%s at %.1f s" % (label, t) for t, label in self.seen)


@dataclass(frozen=True)
class Health:
    """`agent status` and `agent doctor --json` on the source host: exit codes, and the failing rules of doctor's
    findings about the watch and its target."""
    status_exit: int
    doctor_exit: int
    rules: tuple

    def __str__(self):
        return "status exit %d, doctor exit %d (%s)" % (self.status_exit, self.doctor_exit,
                                                         ", ".join(self.rules) or "no finding")


def health(ctx, watch):
    sock = os.path.join(ctx.topo.src.root, SOCKET)
    status = ctx.topo.src.run(AGENT, "status", "--socket", sock, check=False)
    doctor = ctx.topo.src.run(AGENT, "doctor", "--json", "--socket", sock, check=False)
    try:
        findings = json.loads(doctor.stdout)["findings"]
    except (ValueError, KeyError) as e:
        raise AssertionError("agent doctor --json: %s: %r" % (e, doctor.stdout[-500:] + doctor.stderr[-500:]))
    about = ("watch %s" % watch, "replication %s/%s" % (watch, watch))
    rules = tuple(f["rule"] for f in findings if f["check"] in about and f["verdict"] == "fail")
    return Health(status.returncode, doctor.returncode, rules)


def clause(alert):
    """An alert's first clause, for a row's notes."""
    return (alert or "").split(";")[0]


def expect_failing(h, rule):
    """Status degraded (3), doctor failing (1), with rule among its findings about the watch."""
    assert h.status_exit == 3 and h.doctor_exit == 1 and rule in h.rules, "expected status 3, doctor 1 and %s: %s" % (
        rule, h)


def gone(ctx, case, watch, reference, before, reasons, notes=""):
    """The row of the time the root is gone: source_lost with status and doctor failing, the backup held against its
    snapshot for KEPT_SECONDS (the rsync runs counted are those since before the fault: 0 while paused)."""
    tg = reasons.await_paused("source_lost")
    h = health(ctx, watch)
    expect_failing(h, "target.paused.source_lost")
    k = trees.kept(reference, ctx.dst(watch), KEPT_SECONDS)
    ctx.row("%s: while the source is gone" % case, 1, watch, k, before,
            "; ".join(x for x in ("source_lost %.1f s after the fault (%s)" % (reasons.at("paused (source_lost)"),
                                                                                clause(tg["alert"])),
                                  str(h), notes) if x), settle=False)
    return tg


def held(ctx, case, watch, reference, reasons):
    """A full sync held as a mass delete when the tree that came back would delete most of the backup: shown (status,
    doctor), not executed: the backup keeps every file of its snapshot (the new tree's files may arrive: a held full
    sync sends before it deletes). Then the operator confirms (retry --allow-deletes); returns when that was."""
    tg = reasons.await_paused("mass_delete", 60)
    assert tg["alert"].startswith("mass delete held: a full sync would delete"), tg["alert"]
    h = health(ctx, watch)
    expect_failing(h, "target.paused.mass_delete")
    k = trees.kept(reference, ctx.dst(watch), KEPT_SECONDS, lambda: set(trees.snapshot(ctx.src(watch))))
    counters = ctx.source.counters(watch)
    ctx.row("%s: the full sync held" % case, 1, watch, k, counters, "%s; %s" % (clause(tg["alert"]), h), settle=False)
    confirmed = time.monotonic()
    ctx.source.call("retry", {"target": "%s/%s" % (watch, watch), "allow_deletes": True})
    return confirmed, counters


def level(ctx, case, watch, since, counters, reasons, notes=""):
    """The row of the root back: the target level with the tree at the path (from since: the root back, or the
    operator's confirmation), the status healthy about it again."""
    c = ctx.replica(watch, since, 120)
    h = health(ctx, watch)
    ctx.row("%s: back" % case, 1, watch, c, counters,
            "; ".join(x for x in ("seen: %s" % reasons, "then: %s" % h, notes) if x))
    assert not h.rules, "once level, nothing fails about %s: %s" % (watch, h)


def copy_of(ctx, watch):
    """A copy of the watch's tree kept by the driver (what a filesystem held, to bring it back with its files)."""
    disk = os.path.join(ctx.ident.work, "disk-" + watch)
    shutil.copytree(ctx.src(watch), disk, symlinks=True)
    return disk


def changed_meanwhile(tree, prefix):
    """What changed in a tree while it was away from the agent: 5 rewritten, 5 deleted, 5 created. Returns deletes."""
    first = os.path.join(tree, prefix + "000")
    names = sorted(os.listdir(first))
    for name in names[:5]:
        write(os.path.join(first, name), b"changed while away")
    for name in names[5:10]:
        os.unlink(os.path.join(first, name))
    trees.burst(os.path.join(tree, "meanwhile"), 5, "n", 64)
    return 5


def mount_with(ctx, rel, tree, size):
    """A new tmpfs holding a copy of tree, at the source host's rel all at once (filled at a staging mount point,
    bound at rel, the staging mount removed): a disk mounted back with its files."""
    host = ctx.topo.src
    stage = rel.rstrip("/") + ".stage"
    host.mount_tmpfs(stage, size)
    shutil.copytree(tree, host.path(stage), symlinks=True, dirs_exist_ok=True)
    host.run("mount", "--bind", os.path.join(host.root, stage), os.path.join(host.root, rel))
    host.run("umount", os.path.join(host.root, stage))
    os.rmdir(host.path(stage))
