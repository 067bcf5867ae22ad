"""Names and special files that break careless scripts."""
import os
import socket
import time

from .. import trees
from ..agent import REPO
from ..fault import Fault
from ..states import Watch
from ..topology import sh

WATCH = "hostile"
NAMES = [b"new\nline", b"--rsh=touch PWNED", b"-e", b"-", b"with space ", b" lead", b"*?[]", b"back\\slash",
         b"\xff\xfe-not-utf8", b"x" * 255, b"'quote\"", b"$(touch PWNED2)", b"; touch PWNED3"]


def run(ctx):
    """Awkward names and special files replicate as `rsync -a` copies them; nothing becomes an option or is run."""
    src = ctx.src(WATCH)
    b = os.fsencode(src)
    for n in NAMES:
        with open(os.path.join(b, n), "wb") as f:
            f.write(b"content of " + n)
    deep = b
    while len(deep) - len(b) < 3800:  # a path near PATH_MAX (relative to the source)
        deep = os.path.join(deep, b"d" * 200)
    os.makedirs(deep)
    with open(os.path.join(deep, b"leaf"), "wb") as f:
        f.write(b"deep")
    specials = 0
    for target, name in (("/etc/passwd", "outside-abs"), ("../../../../../../../etc/shadow", "outside-rel"),
                         ("loop-b", "loop-a"), ("loop-a", "loop-b"), ("self", "self"), (".", "dot-loop")):
        os.symlink(target, os.path.join(src, name))
        specials += 1
    with open(os.path.join(src, "hard1"), "w") as f:
        f.write("linked")
    os.link(os.path.join(src, "hard1"), os.path.join(src, "hard2"))
    os.mkfifo(os.path.join(src, "fifo"))
    s = socket.socket(socket.AF_UNIX)
    s.bind(os.path.join(src, "sock"))
    s.close()
    specials += 3
    written = time.monotonic()
    reference = os.path.join(ctx.ident.work, "hostile-reference")
    sh("rsync", "-a", src + "/", reference + "/")
    c = ctx.replica(WATCH, written, 60, source=reference)
    places = (REPO, "/", "/tmp", ctx.ident.work, ctx.topo.src.root, ctx.topo.bak.root, src, ctx.dst(WATCH),
              ctx.topo.src.path("srv"), ctx.topo.bak.path("srv"))
    executed = [os.path.join(where, p) for where in places for p in ("PWNED", "PWNED2", "PWNED3")
                if os.path.exists(os.path.join(where, p))]
    skipped = sorted(set(trees.snapshot(src)) - set(trees.target_snapshot(ctx.dst(WATCH))))
    ctx.row("hostile names (%d) + a %d-byte path + links, loops, a hard link, a fifo, a socket" % (
        len(NAMES), len(deep) - len(b) + 5), len(NAMES) + specials + 1, WATCH, c, None,
        "compared with rsync -a of the same tree; not on the target: %s; files a name ran: %s" % (
            [p.decode(errors="replace") for p in skipped] or "none", executed or "none"))
    assert not executed, "a filename was executed: %s" % executed
    assert os.path.islink(os.path.join(ctx.dst(WATCH), "outside-abs")), "a link stays a link"


FAULT = Fault("hostile", run, needs=(Watch(WATCH),))
