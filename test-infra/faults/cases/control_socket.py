"""The control socket and users other than root and the agent's."""
import json
import os
import stat

from .. import states
from ..agent import AGENT
from ..fault import Fault
from ..topology import sh


def run(ctx):
    """The control socket refuses a user that is neither root nor the agent's (also when it can reach the file)."""
    sock = os.path.join(ctx.topo.src.root, states.SOCKET)
    env = states.agent_env(ctx.ident, os.environ)
    r1 = sh("runuser", "-u", "nobody", "--", AGENT, "status", "--socket", sock, check=False, env=env)
    # past the 0700 directory: a hard link to the same socket in an open directory, the inode opened up for a moment
    pub = os.path.join(ctx.ident.work, "pub")
    os.makedirs(pub, mode=0o755)
    os.chmod(pub, 0o755)
    link = os.path.join(pub, "agent.sock")
    mode = stat.S_IMODE(os.stat(sock).st_mode)

    def as_stranger(*argv):
        os.link(sock, link)
        os.chmod(link, 0o666)
        try:
            return sh("runuser", "-u", "nobody", "--", *argv, check=False, env=env)
        finally:
            os.chmod(sock, mode)
            os.unlink(link)

    r2 = as_stranger(AGENT, "status", "--socket", link)
    assert r1.returncode != 0 and r2.returncode != 0, (r1, r2)
    msg1 = (r1.stdout + r1.stderr).decode(errors="replace").strip()
    msg2 = (r2.stdout + r2.stderr).decode(errors="replace").strip()
    assert not any(s.decode() in msg1 + msg2 for s in ctx.ident.secrets), "no secret in the answers"
    # what the server answers a stranger, read before anything is sent (the CLI may hit EPIPE writing its request)
    r3 = as_stranger("/usr/bin/python3", "-c", "import socket,sys; s=socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]);"
                     " s.settimeout(10); print(s.makefile('rb').readline().decode())", link)
    assert r3.returncode == 0, r3.stderr.decode()
    answer = json.loads(r3.stdout.decode())
    assert answer["ok"] is False, answer
    return "CLI as nobody: %s | server's answer: %s" % (msg1.splitlines()[-1][:60], json.dumps(answer["error"])[:120])


FAULT = Fault("socket", run, scanned=False, once=True)
