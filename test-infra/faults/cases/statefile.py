"""Secrets in state files: literal passwords and loose modes."""
import os
import stat

from .. import states
from ..agent import AGENT
from ..fault import Fault, write
from ..topology import sh


def run(ctx):
    """A literal password in an other-readable state file is refused; loose secret-file modes are flagged and repaired."""
    literal = os.path.join(ctx.ident.work, "literal.yaml")
    text = states.source_state(ctx.ident, ctx.layout)
    assert "{ env: FAULTS_PASSWORD }" in text
    write(literal, text.replace("{ env: FAULTS_PASSWORD }", "{ value: %s }" % ctx.ident.password, 1).encode())
    os.chmod(literal, 0o644)
    r = sh(AGENT, "validate", literal, check=False)
    out = (r.stdout + r.stderr).decode(errors="replace")
    assert r.returncode == 1 and ctx.ident.password not in out, "refused without echoing the password: %d %s" % (
        r.returncode, out)
    literal_msg = " ".join(line.strip() for line in out.splitlines() if "password" in line.lower())[:160]
    os.unlink(literal)
    env = states.agent_env(ctx.ident, os.environ)
    for h, rel in ((ctx.topo.src, "etc/rsync.backup"), (ctx.topo.bak, "etc/rsyncd.secrets")):
        state = ctx.backup.state if h is ctx.topo.bak else ctx.source.state
        os.chmod(os.path.join(h.root, rel), 0o644)
        r = h.run(AGENT, "plan", state, "--root", h.root, "--detailed-exitcode", env=env, check=False)
        plan = (r.stdout + r.stderr).decode(errors="replace")
        assert r.returncode == 2 and rel.split("/")[-1] in plan and ctx.ident.password not in plan, \
            "plan flags %s: %s" % (rel, plan)
        if h is ctx.topo.bak:
            ctx.backup.converge()
        else:
            h.run(AGENT, "apply", state, "--root", h.root, "--auto-approve", "--converge-only", "--lock-timeout", "0",
                  env=env, check=False)
        mode = stat.S_IMODE(os.stat(os.path.join(h.root, rel)).st_mode)
        assert mode == 0o600, "apply repaired %s: %o" % (rel, mode)
    return literal_msg


FAULT = Fault("statefile", run, scanned=False, once=True)
