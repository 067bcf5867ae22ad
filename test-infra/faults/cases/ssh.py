"""An ssh target: the link cut mid-burst, the backup host's sshd killed and restarted, its host key rotated."""
import os
import time

from .. import states, trees
from ..agent import await_
from ..fault import Fault, sleep_until
from ..states import Watch
from ..status import paused, pending

WATCH = "ssh"


def run(ctx):
    """Over ssh: link down mid-burst; sshd killed mid-burst and restarted; the host key rotated (paused, pinned, drains)."""
    src = ctx.src(WATCH)
    sshd = ctx.backup.sshd
    down_s = min(ctx.knobs.link_down_seconds, 20)

    # 1. the link goes while an rsync is sending through the shared connection; it comes back before ssh's keep-alives
    # (15 s x 3) give the connection up, so the same connection carries on
    before = ctx.source.counters(WATCH)
    written = trees.burst(os.path.join(src, "linkdown"), 2000, "a", 2048)
    await_("an rsync over ssh in flight", lambda: ctx.source.target(WATCH)["in_flight"], 30, 0.02)
    handshakes = ctx.source.target(WATCH)["ssh"]["handshakes"]
    ctx.topo.link(False)
    down_at = time.monotonic()
    written += trees.burst(os.path.join(src, "linkdown"), 1000, "b", 2048)
    sleep_until(down_at + down_s)
    ctx.topo.link(True)
    up = time.monotonic()
    c = ctx.replica(WATCH, up, 180)
    tg = ctx.source.target(WATCH)
    ctx.row("ssh: link down %.0f s mid %d-file burst" % (up - down_at, written), 1, WATCH, c, before,
            "handshakes during and after: %d" % (tg["ssh"]["handshakes"] - handshakes))

    # 2. sshd and its sessions killed mid-burst: the shared connection dies with them; pushes back off (connection
    # refused is not a reason to pause) until sshd is back, then one new handshake
    before = ctx.source.counters(WATCH)
    written = trees.burst(os.path.join(src, "sshd-killed"), 2000, "c", 2048)
    await_("an rsync over ssh in flight", lambda: ctx.source.target(WATCH)["in_flight"], 30, 0.02)
    handshakes = ctx.source.target(WATCH)["ssh"]["handshakes"]
    sshd.kill()
    killed = time.monotonic()
    written += trees.burst(os.path.join(src, "sshd-killed"), 500, "d", 2048)
    sleep_until(killed + 5)
    while_down = ctx.source.target(WATCH)
    assert while_down["state"] != "paused", "sshd down is transient, not a pause: %r" % while_down["alert"]
    sshd.start()
    back = time.monotonic()
    c = ctx.replica(WATCH, back, 180)
    tg = ctx.source.target(WATCH)
    ctx.row("ssh: sshd SIGKILL mid %d-file burst, down %.0f s, restarted" % (written, back - killed), 1, WATCH, c, before,
            "while down: state %s, %d pending, alert %s | new handshakes: %d" % (
                while_down["state"], pending(while_down), (while_down["alert"] or "-")[:60],
                tg["ssh"]["handshakes"] - handshakes))

    # 3. the backup host's key rotated: the pin no longer matches, so the target pauses and nothing is sent; the
    # operator pins the new key in the state and restarts the agent (no reload yet), which drains the backlog
    before = ctx.source.counters(WATCH)
    sshd.kill()
    sshd.new_host_key()
    sshd.start()
    rotated = time.monotonic()
    written = trees.burst(os.path.join(src, "rotated"), 200, "e", 1024)
    tg = await_("%s paused on the rotated host key" % WATCH,
                lambda: (lambda x: x if paused(x, "error", "REMOTE HOST IDENTIFICATION HAS CHANGED") else None)(
                    ctx.source.target(WATCH)), 60)
    paused_at = time.monotonic()
    unsent = trees.diff(trees.snapshot(src), trees.target_snapshot(ctx.dst(WATCH)))
    assert unsent.lost and pending(tg) > 0, "nothing sent to a host with another key: %s" % unsent.describe()
    with open(ctx.source.state, "w") as f:
        f.write(states.source_state(ctx.ident, ctx.layout, ctx.backend, sshd.host_key()))
    os.chmod(ctx.source.state, 0o600)
    ctx.source.kill()
    ctx.source.start()
    pinned = time.monotonic()
    c = ctx.replica(WATCH, pinned, 120)
    ctx.row("ssh: host key rotated, %d files written; the new key pinned + restart" % written, 1, WATCH, c, before,
            "paused %.0f s after the rotation: %s | while paused: %d lost on the target" % (
                paused_at - rotated, tg["alert"][:80], len(unsent.lost)))


FAULT = Fault("ssh", run, needs=(Watch(WATCH, ssh=True, bwlimit_kbps=2000),))
