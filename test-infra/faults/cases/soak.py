"""A long random workload over a deep tree with a fault every 12 s."""
import os
import random
import time

from ..fault import Fault, sleep_until
from ..states import Watch

WATCH = "soak"
FAULTS = ("link flap 5 s", "daemon SIGKILL + restart", "agent SIGKILL + restart")


def inject(ctx, kind):
    if kind == FAULTS[0]:
        ctx.topo.link(False)
        sleep_until(time.monotonic() + 5)
        ctx.topo.link(True)
    elif kind == FAULTS[1]:
        ctx.backup.kill_daemon()
        time.sleep(2)
        ctx.backup.converge()
    else:
        ctx.source.kill()
        time.sleep(1)
        ctx.source.start(synced=False)  # a target of another watch may be paused by an earlier fault


def run(ctx):
    """Random creates, writes, renames and deletes across a deep tree for SOAK_SECONDS, faults on a schedule."""
    src = ctx.src(WATCH)
    rng = random.Random(ctx.knobs.soak_seed)
    dirs, files = [src], []
    written = renames = deletes = 0
    injected = dict.fromkeys(FAULTS, 0)
    before = ctx.source.counters(WATCH)
    next_fault = time.monotonic() + 10
    end = time.monotonic() + ctx.knobs.soak_seconds
    k = 0
    while time.monotonic() < end:
        op = rng.random()
        if op < 0.08 and len(dirs) < 400:
            parent = rng.choice(dirs)
            if parent.count("/") - src.count("/") < 12:
                d = os.path.join(parent, "d%d" % k)
                os.mkdir(d)
                dirs.append(d)
        elif op < 0.55 or not files:
            p = os.path.join(rng.choice(dirs), "f%d" % k)
            with open(p, "wb") as f:
                f.write(rng.randbytes(rng.randrange(0, 8192)))
            files.append(p)
            written += 1
        elif op < 0.75:
            with open(rng.choice(files), "ab") as f:
                f.write(rng.randbytes(rng.randrange(1, 4096)))
            written += 1
        elif op < 0.88:
            i = rng.randrange(len(files))
            new = os.path.join(rng.choice(dirs), "r%d" % k)
            os.rename(files[i], new)
            files[i] = new
            renames += 1
        else:
            os.unlink(files.pop(rng.randrange(len(files))))
            deletes += 1
        k += 1
        if k % 50 == 0:
            time.sleep(0.02)
        if time.monotonic() >= next_fault:
            kind = FAULTS[sum(injected.values()) % len(FAULTS)]
            injected[kind] += 1
            inject(ctx, kind)
            next_fault = time.monotonic() + 12
    stopped = time.monotonic()
    c = ctx.replica(WATCH, stopped, 300)
    ctx.row("soak %d s: %d writes, %d renames, %d deletes, %d dirs" % (
        ctx.knobs.soak_seconds, written, renames, deletes, len(dirs)), sum(injected.values()), WATCH, c, before,
        ", ".join("%s x%d" % kv for kv in injected.items()))


FAULT = Fault("soak", run, needs=(Watch(WATCH),), once=True)
