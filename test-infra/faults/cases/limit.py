"""The inotify watch limit is exhausted, at start and while running (a private user namespace's limit)."""
import os
import subprocess
import time

from .. import states, trees
from ..agent import AGENT, await_, call
from ..fault import Fault, write

STATE = """version: 1
settings: { state_dir: /var/lib/agent-limited, status_file: /var/lib/agent-limited/status.json, control_socket: /run/agent-limited/agent.sock, watch_backend: inotify }
watches:
  - { name: limited, source: /srv/limited, targets: [ { name: copy, url: /srv/limited-copy } ], delay: 100ms }
"""


def run(ctx):
    """Watch limit exhausted (a private user namespace's max_inotify_watches): a clear error, nothing silently unwatched."""
    h = ctx.topo.src
    base = h.path("srv/limited")
    for d in ("a/b/c", "d/e"):
        os.makedirs(os.path.join(base, d), exist_ok=True)
    state = os.path.join(ctx.ident.work, "limited.yaml")
    write(state, STATE.encode())
    os.chmod(state, 0o600)

    def limited_agent(limit):  # nothing machine-wide changes: the limit is the user namespace's own
        return subprocess.Popen(h.cmd("unshare", "-U", "-r", "/bin/sh", "-c",
                                      "echo %d > /proc/sys/user/max_inotify_watches && exec \"$0\" \"$@\"" % limit,
                                      AGENT, "apply", state, "--root", h.root, "--auto-approve"),
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                env=states.agent_env(ctx.ident, os.environ))

    p = limited_agent(3)  # 6 directories, 3 watches
    out = p.communicate(timeout=120)[0].decode(errors="replace")
    assert p.returncode == 1 and "max_user_watches" in out and "needs 6 watches" in out, out
    at_start = [line for line in out.splitlines() if "max_user_watches" in line][0]

    p = limited_agent(8)  # room for the tree; then 5 directories are created live, 3 of them cannot be watched
    try:
        sock = h.path("run/agent-limited/agent.sock")

        def watch():
            return call(sock, "status")["watches"][0]

        await_("limited agent up", lambda: watch()["targets"][0]["last_success"], 120)
        for i in range(5):
            write(os.path.join(base, "live%d" % i, "f"), b"x")
        written = time.monotonic()
        w = await_("the watch error names the limit",
                   lambda: (lambda x: x if x["error"] and "max_user_watches" in x["error"] else None)(watch()), 30)
        # nothing silently unwatched: what the unwatchable directories held when they appeared is on the copy
        copy = trees.converge(base, h.path("srv/limited-copy"), written, 30)
        ctx.row("watch limit exhausted (userns max_inotify_watches 3, then 8 + 5 live dirs)", 2, convergence=copy,
                notes="start: …%s | live: …%s" % (at_start[at_start.index("needs"):][:110],
                                                   w["error"][w["error"].index(":", 40) + 1:][:110]),
                backend=w.get("backend") or "-")
    finally:
        p.kill()
        p.wait()


FAULT = Fault("limit", run, backends=("inotify",))
