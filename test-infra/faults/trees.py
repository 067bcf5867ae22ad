"""Trees: snapshots, what differs between a target and its source, waiting for them to converge, bursts of files.

A snapshot maps each relative path (bytes: names need not be UTF-8) to (kind, size, detail): a regular file's
SHA-256, a symlink's target. A target's reserved top-level `.agent/` (rsync temp files, history) is not part of the
replica and is left out of its snapshot; what rsync leaves in `.agent/tmp/` is counted apart (`leftovers`)."""
import hashlib
import os
import random
import re
import stat
import time
from dataclasses import dataclass

RESERVED = b".agent"
_TEMP = re.compile(rb"^\.(.+)\.[A-Za-z0-9]{6}$")  # rsync's temp file: .NAME.XXXXXX next to NAME


class Hashes:
    """SHA-256 of regular files, remembered by inode, size, mtime and ctime: a file rewritten or replaced is read
    again, an unchanged one is not (a poll of a large tree costs a walk, not a read of every byte)."""

    def __init__(self):
        self.known = {}

    def of(self, path, st):
        key = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
        if key not in self.known:
            h = hashlib.sha256()
            with open(path, "rb") as f:
                for chunk in iter(lambda: f.read(1 << 20), b""):
                    h.update(chunk)
            self.known[key] = h.hexdigest()
        return self.known[key]


def snapshot(root, hashes=None, skip=()):
    """{relative path: (kind, size, detail)} of everything under root (root excluded). Entries that vanish during the
    walk are left out (the walk is a snapshot as of itself). skip: top-level names left out. FileNotFoundError when
    root does not exist."""
    hashes = hashes or Hashes()
    broot = os.fsencode(root)
    os.lstat(broot)
    out = {}
    todo = [b""]
    while todo:
        rel_dir = todo.pop()
        try:
            entries = list(os.scandir(os.path.join(broot, rel_dir) if rel_dir else broot))
        except (FileNotFoundError, NotADirectoryError):
            continue
        for e in entries:
            if not rel_dir and e.name in skip:
                continue
            rel = os.path.join(rel_dir, e.name) if rel_dir else e.name
            try:
                st = e.stat(follow_symlinks=False)
                if stat.S_ISREG(st.st_mode):
                    out[rel] = ("f", st.st_size, hashes.of(e.path, st))
                elif stat.S_ISLNK(st.st_mode):
                    out[rel] = ("l", 0, os.readlink(e.path))
                elif stat.S_ISDIR(st.st_mode):
                    out[rel] = ("d", 0, "")
                    todo.append(rel)
                else:
                    out[rel] = ("s", 0, stat.S_IFMT(st.st_mode))
            except FileNotFoundError:
                continue
    return out


def target_snapshot(root, hashes=None):
    """A target's replica: an empty one when the target directory does not exist (yet)."""
    try:
        return snapshot(root, hashes, skip=(RESERVED,))
    except FileNotFoundError:
        return {}


def leftovers(target_root):
    """Files left in the target's .agent/tmp (rsync's temp files of transfers that did not finish)."""
    tmp = os.path.join(os.fsencode(target_root), RESERVED, b"tmp")
    try:
        return sum(1 for kind, _, _ in snapshot(tmp).values() if kind == "f")
    except FileNotFoundError:
        return 0


def files(snap):
    return sum(1 for kind, _, _ in snap.values() if kind == "f")


def rsync_temp(path):
    """path has the name of an rsync temp file (`.NAME.XXXXXX`, made next to NAME while it is received)."""
    return bool(_TEMP.match(os.path.basename(path)))


@dataclass(frozen=True)
class Diff:
    """A target measured against its source: lost (in the source, not on the target), extra (on the target only),
    differing (both, with another kind, size, content or link target); paths sorted."""
    lost: tuple
    extra: tuple
    differing: tuple
    temps: frozenset = frozenset()  # the extra paths named like rsync temp files

    @property
    def clean(self):
        return not (self.lost or self.extra or self.differing)

    def counts(self):
        return "%d / %d / %d" % (len(self.lost), len(self.extra), len(self.differing))

    def describe(self, limit=5):
        def show(paths):
            return ", ".join(repr(p)[1:] + (" (rsync temp file)" if p in self.temps else "") for p in paths[:limit]) + (
                ", …" if len(paths) > limit else "")

        return "; ".join("%s %d: %s" % (what, len(paths), show(paths)) for what, paths in
                         (("lost", self.lost), ("extra", self.extra), ("differing", self.differing)) if paths) or "equal"


def diff(source, target):
    extra = tuple(sorted(set(target) - set(source)))
    return Diff(lost=tuple(sorted(set(source) - set(target))), extra=extra,
                differing=tuple(sorted(k for k in set(source) & set(target) if source[k] != target[k])),
                temps=frozenset(p for p in extra if rsync_temp(p)))


@dataclass(frozen=True)
class Convergence:
    """How a target caught up with its source after a fault: seconds from the end of the fault to the first poll at
    which both trees were equal (None when they were not by the deadline), and the diff measured then (at the
    deadline when they never were): snapshots of the source and the target, each taken on its own."""
    seconds: object
    diff: Diff
    polls: int
    leftovers: int
    timeout: float

    @property
    def ok(self):
        return self.seconds is not None and self.diff.clean

    def why(self):
        return "the target differs from the source %.0f s after the fault: %s" % (self.timeout, self.diff.describe())


@dataclass(frozen=True)
class Kept:
    """How a target held against a snapshot taken before a fault, polled over a window: the diff of the worst poll
    (the most lost and differing paths; the last poll when none lost any). extra paths are allowed when they are in
    `allowed` (files of a new source tree, which a held full sync sends before it would delete)."""
    diff: Diff
    polls: int
    seconds: float  # the window's length
    leftovers: int
    allowed: frozenset = frozenset()

    @property
    def ok(self):
        return not (self.diff.lost or self.diff.differing or set(self.diff.extra) - self.allowed)

    def why(self):
        return "the backup did not keep the files it held before the fault (over %.0f s, %d polls): %s" % (
            self.seconds, self.polls, self.diff.describe())


def kept(reference, target, seconds, allowed=lambda: frozenset(), clock=time.monotonic, sleep=time.sleep,
         interval=0.25):
    """Polls the target for `seconds` against `reference` (a target_snapshot taken before the fault); allowed() gives
    the extra paths that do not count (read at each poll). Never asserts."""
    hashes = Hashes()
    deadline = clock() + seconds
    polls, worst = 0, None
    while True:
        polls += 1
        ok_extra = frozenset(allowed())
        d = diff(reference, target_snapshot(target, hashes))
        bad = len(d.lost) + len(d.differing) + len(set(d.extra) - ok_extra)
        if worst is None or bad >= worst[0]:
            worst = (bad, d, ok_extra)
        now = clock()
        if now >= deadline:
            return Kept(worst[1], polls, seconds, leftovers(target), worst[2])
        sleep(max(0.0, min(interval, deadline - now)))


def converge(source, target, since, timeout, clock=time.monotonic, sleep=time.sleep, interval=0.25):
    """Polls the target against the source from `since` (a clock() reading: the end of the fault) until they are
    equal or `timeout` seconds after since; never asserts (the caller reports the measurement, then fails on it)."""
    src_hashes, dst_hashes = Hashes(), Hashes()
    deadline = since + timeout
    polls = 0
    while True:
        polls += 1
        d = diff(snapshot(source, src_hashes), target_snapshot(target, dst_hashes))
        now = clock()
        if d.clean:
            return Convergence(now - since, d, polls, leftovers(target), timeout)
        if now >= deadline:
            return Convergence(None, d, polls, leftovers(target), timeout)
        sleep(max(0.0, min(interval, deadline - now)))


def burst(base, count, prefix="f", size=512, per_dir=250, rng=random):
    """count files of size random bytes in directories of per_dir under base; returns how many were written."""
    for i in range(count):
        d = os.path.join(base, "%s%03d" % (prefix, i // per_dir))
        if i % per_dir == 0:
            os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "%s%05d.bin" % (prefix, i)), "wb") as f:
            f.write(rng.randbytes(size) if size else b"")
    return count
