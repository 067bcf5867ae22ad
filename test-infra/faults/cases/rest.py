"""Secrets at rest: every output and every file the agents write."""
import json
import os

from .. import leaks, states
from ..agent import AGENT
from ..fault import Fault


def run(ctx):
    """No password in logs, status file, plan output, console output, status JSON, the socket's config, queue files."""
    t, env = ctx.topo, states.agent_env(ctx.ident, os.environ)
    outputs = {}
    for h, state in ((t.src, ctx.source.state), (t.bak, ctx.backup.state)):
        r = h.run(AGENT, "plan", state, "--root", h.root, env=env, check=False)
        outputs["plan " + h.name] = r.stdout + r.stderr
    sock = os.path.join(t.src.root, states.SOCKET)
    r = t.src.run(AGENT, "status", "--json", "--socket", sock, env=env, check=False)
    outputs["status --json"] = r.stdout + r.stderr
    r = t.src.run(AGENT, "console", "--socket", sock, input=b"status\nfailures\nconfig\nquit\n", env=env, check=False,
                  timeout=60)
    outputs["console"] = r.stdout + r.stderr
    outputs["config op"] = json.dumps(ctx.source.call("config")).encode()
    assert outputs["console"], "the console printed something"
    read, files = leaks.files_holding(ctx.ident.work, ctx.ident.secrets,  # the replicated trees are not in it: /srv
                                      allowed={os.path.join(t.bak.root, "etc/rsyncd.secrets")} |
                                              {os.path.join(t.src.root, p.lstrip("/")) for _, p in
                                               states.USERS.values()})
    found = leaks.outputs_holding(outputs, ctx.ident.secrets) + files
    assert not found, "password found in: %s" % found
    return "%d outputs and %d files read, no password in any" % (len(outputs), read)


FAULT = Fault("rest", run, scanned=False)
