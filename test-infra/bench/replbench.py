#!/usr/bin/env python3
"""The shared replbench harness, run as it is but for one thing: the target's reserved `.agent/` directory.

The agent keeps rsync's temp files in the target's `.agent/tmp/` (and, later, versions in `.agent/history/`); it is
not part of the mirror, so a comparison of the target with SRC must not count it as `extra`. The harness is loaded as
a module from where run.sh found it (REPLBENCH, or shared/bench/replbench beside the checkout), its `snapshot` is
wrapped to drop a root-level `.agent` of the daemon's target directory, and its `main` runs with our argv. The harness
itself is never edited (it is shared and read-only).

    test-infra/bench/replbench.py HARNESS [replbench options]
"""
import importlib.machinery
import importlib.util
import os
import signal
import sys

RESERVED = ".agent"


def load(path):
    """The harness as a module (it has no .py suffix), with its own path, so it finds its plugins/."""
    loader = importlib.machinery.SourceFileLoader("replbench", path)
    spec = importlib.util.spec_from_loader("replbench", loader)
    module = importlib.util.module_from_spec(spec)
    module.__file__ = path
    loader.exec_module(module)
    return module


def without_reserved(meta, keys):
    """The snapshot less a root-level `.agent` and everything below it."""
    def kept(rel):
        return rel != RESERVED and not rel.startswith(RESERVED + "/")
    return {r: m for r, m in meta.items() if kept(r)}, {r: k for r, k in keys.items() if kept(r)}


def patch(rb):
    """Makes the harness ignore `.agent/` at the root of every daemon target it creates, and nowhere else."""
    targets = set()
    daemon_init = rb.Daemon.__init__
    snapshot = rb.snapshot

    def init(self, root, port_hint):
        targets.add(os.path.join(root, "target"))  # set before the daemon starts: Daemon.target is root/target
        daemon_init(self, root, port_hint)

    def snap(root):
        meta, keys = snapshot(root)
        return without_reserved(meta, keys) if root in targets else (meta, keys)

    rb.Daemon.__init__ = init
    rb.snapshot = snap
    return rb


def main(argv):
    if len(argv) < 2:
        sys.exit("usage: replbench.py HARNESS [replbench options]")
    rb = patch(load(os.path.abspath(argv[1])))
    sys.argv = [argv[1]] + argv[2:]
    signal.signal(signal.SIGTERM, rb._term)
    try:
        rb.main()
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main(sys.argv)
