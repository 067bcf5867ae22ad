"""The backup host's own sshd for the ssh watches (the agent never configures sshd): a host key and config in the
backup host's root, listening on its address inside its namespaces; the source's key pair, made here before the
states are written (the backup state's account lists its public half). Killed with the namespace at teardown; the
account the backup converge creates is deleted then too."""
import os
import subprocess

from . import procs, states
from .agent import await_
from .topology import sh


class Sshd:
    def __init__(self, ident, backup, source):
        self.ident = ident
        self.host = backup
        self.dir = os.path.join(backup.root, "etc/ssh-faults")
        self.host_key_file = os.path.join(self.dir, "host_ed25519")
        self.identity = os.path.join(source.root, states.SSH_IDENTITY.lstrip("/"))
        self.proc = None

    def make_keys(self):
        """The source's key pair (0600, the agent's: root) and the host key."""
        os.makedirs(os.path.dirname(self.identity), exist_ok=True)
        os.makedirs(self.dir, exist_ok=True)
        sh("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "faults-source", "-f", self.identity)
        self.new_host_key()

    def new_host_key(self):
        for f in (self.host_key_file, self.host_key_file + ".pub"):
            if os.path.exists(f):
                os.unlink(f)
        sh("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "faults-backup", "-f", self.host_key_file)

    def public_key(self):
        with open(self.identity + ".pub") as f:
            return f.read().strip()

    def host_key(self):
        with open(self.host_key_file + ".pub") as f:
            return " ".join(f.read().split()[:2])

    def secret_lines(self):
        """The private key's base64 lines: what the /proc scan looks for besides the passwords."""
        with open(self.identity, "rb") as f:
            return [line.strip() for line in f if not line.startswith(b"-----") and len(line.strip()) >= 40]

    def start(self):
        os.makedirs("/run/sshd", exist_ok=True)  # sshd's privilege separation directory
        config = os.path.join(self.dir, "sshd_config")
        with open(config, "w") as f:
            f.write("\n".join([
                "Port %d" % states.SSH_PORT, "ListenAddress %s" % self.ident.bak_ip, "HostKey %s" % self.host_key_file,
                "PidFile %s" % os.path.join(self.dir, "sshd.pid"), "UsePAM no", "PasswordAuthentication no",
                "KbdInteractiveAuthentication no", "PermitRootLogin no", "LogLevel VERBOSE",
                "MaxStartups 64:30:128", "MaxSessions 32", ""]))
        self.proc = subprocess.Popen(self.host.cmd("/usr/sbin/sshd", "-D", "-f", config, "-E", os.path.join(self.dir, "sshd.log")))

        def listening():
            assert self.proc.poll() is None, "sshd exited %s: %s" % (self.proc.returncode, self.log()[-1000:])
            return self.host.run("bash", "-c", "exec 3<>/dev/tcp/%s/%d" % (self.ident.bak_ip, states.SSH_PORT), check=False).returncode == 0

        await_("sshd on the backup host", listening, 30, 0.05)

    def kill(self):
        """sshd and the sessions it serves (the shared connection's far end goes with them)."""
        if self.proc and self.proc.poll() is None:
            procs.kill_tree(self.proc.pid)
            self.proc.wait()

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def log(self):
        try:
            with open(os.path.join(self.dir, "sshd.log")) as f:
                return f.read()
        except OSError:
            return ""

    def remove_account(self):
        sh("userdel", self.ident.ssh_user, check=False)
