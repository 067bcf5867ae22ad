"""The daemon's access rules, tried from the source host."""
import os

from ..fault import Fault, write
from ..states import Module

MODULES = (Module("probe"), Module("ro", read_only=True), Module("denied", hosts_allow=(), hosts_deny=("SOURCE",)),
           Module("elsewhere", hosts_allow=("NET.99",)))


def run(ctx):
    """hosts_allow, hosts_deny and read_only, enforced from the source host's namespace."""
    probe = os.path.join(ctx.ident.work, "probe.txt")
    write(probe, b"probe")
    env = dict(os.environ, RSYNC_PASSWORD=ctx.ident.password)  # this rsync's environment only: not scanned

    def push(module):
        r = ctx.topo.src.run("rsync", "-a", "--timeout=10", probe, "rsync://backup@%s/%s/" % (ctx.ident.bak_ip, module),
                             env=env, check=False)
        return r.returncode, (r.stderr.decode(errors="replace").strip().splitlines() or [""])[0]

    ok, ro, denied, elsewhere = push("probe"), push("ro"), push("denied"), push("elsewhere")
    assert ok[0] == 0, ok
    assert os.path.exists(os.path.join(ctx.dst("probe"), "probe.txt")), "the allowed push arrived"
    assert ro[0] != 0 and "read only" in ro[1].lower(), ro
    assert denied[0] != 0 and "unknown module" in denied[1].lower(), denied
    # rsync answers a host outside hosts_allow as if the module did not exist (its log says "denied")
    assert elsewhere[0] != 0 and "unknown module" in elsewhere[1].lower(), elsewhere
    assert not os.path.exists(os.path.join(ctx.dst("ro"), "probe.txt")), "nothing arrived in the read-only module"
    with open(os.path.join(ctx.topo.bak.root, "var/log/rsyncd.log")) as f:
        daemon_log = f.read()
    for module in ("denied", "elsewhere"):
        assert "rsync denied on module %s from" % module in daemon_log, "the daemon refused %s by host" % module
    return "ro: %s | deny: %s | allow-other: %s" % (ro[1][:40], denied[1][:40], elsewhere[1][:40])


FAULT = Fault("rsyncd", run, needs=MODULES, scanned=False, once=True)
