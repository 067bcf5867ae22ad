"""The names and secrets of one run, unique per driver PID and variant: namespaces, veth, addresses, work dir."""
from dataclasses import dataclass


@dataclass(frozen=True)
class Ident:
    tag: str  # prefix of the namespaces and veth names (a veth name fits IFNAMSIZ: 15 bytes)
    net: str  # a /24 that exists only inside this run's two namespaces
    work: str  # every file of the run
    password: str  # user `backup` of the daemon
    password2: str  # user `other`

    @property
    def src_ip(self):
        return self.net + ".1"

    @property
    def bak_ip(self):
        return self.net + ".2"

    @property
    def ssh_user(self):
        """The backup host's ssh account of the run (a system user: removed at teardown)."""
        return self.tag + "ssh"

    @property
    def secrets(self):
        return [self.password.encode(), self.password2.encode()]


def ident(pid, variant=0):
    """Variant v of the run of driver pid (one variant per watch backend, each with its own namespaces)."""
    suffix = "" if variant == 0 else "v%d" % variant
    return Ident(tag="flt%d%s" % (pid, suffix),
                 net="10.231.%d" % ((pid + variant) % 250 + 1),
                 work="/tmp/faults.%d%s" % (pid, suffix),
                 password="Fault-Secret-%d%s-q7" % (pid, suffix),
                 password2="Other-Secret-%d%s-k3" % (pid, suffix))
