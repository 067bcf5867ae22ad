"""The two hosts' state files, rendered from what the selected faults declare (pure: text in, text out).

A watch W replicates the source host's /srv/W to the backup host's module W (path /srv/W) as user `backup` (password
FAULTS_PASSWORD) or `other` (FAULTS_PASSWORD2); a watch over ssh goes to the backup host's ssh account of the run
(ident.ssh_user, path /srv/W, the source's key SSH_IDENTITY) through its sshd (SSH_PORT), the host key pinned. Both
hosts keep their agent files at the same re-rooted places."""
from dataclasses import dataclass, field

USERS = {"backup": ("FAULTS_PASSWORD", "/etc/rsync.backup"), "other": ("FAULTS_PASSWORD2", "/etc/rsync.other")}
SOCKET = "run/agent/agent.sock"  # relative to a host's root, as every path below
SSH_PORT = 2222
SSH_IDENTITY = "/etc/agent/id_ed25519"
SETTINGS = """settings:
  state_dir: /var/lib/agent
  status_file: /var/lib/agent/status.json
  control_socket: /%s
""" % SOCKET


@dataclass(frozen=True)
class Watch:
    name: str
    user: str = "backup"
    max_delete: object = 0  # None: not set, the agent's default guard
    bwlimit_kbps: int = 0  # slows a transfer down so that a fault lands while it is in flight
    ssh: bool = False  # to the backup host's ssh account instead of its rsync daemon


@dataclass(frozen=True)
class Module:
    """A daemon module without a watch (what the access checks push to)."""
    name: str
    read_only: bool = False
    hosts_allow: tuple = ("SOURCE",)  # SOURCE is the source host's address
    hosts_deny: tuple = ()


@dataclass(frozen=True)
class Mount:
    host: str  # "source" or "backup"
    rel: str  # relative to the host's root
    size: str  # tmpfs size=


def _key(item):
    """Watches and modules share the daemon's module names; a mount is known by its place."""
    return ("mount", item.host, item.rel) if isinstance(item, Mount) else ("module", item.name)


@dataclass
class Layout:
    """Everything the selected faults need from the two hosts."""
    watches: list = field(default_factory=list)
    modules: list = field(default_factory=list)
    mounts: list = field(default_factory=list)

    def add(self, *items):
        """Declarations of several faults: the same one twice is kept once, two different ones under a name refused."""
        for item in items:
            known = {_key(i): i for i in self.watches + self.modules + self.mounts}
            if _key(item) in known:
                if known[_key(item)] != item:
                    raise ValueError("two different declarations of %s: %r and %r" % (_key(item)[1:], known[_key(item)], item))
                continue
            (self.watches if isinstance(item, Watch) else self.modules if isinstance(item, Module) else self.mounts).append(item)
        return self


def _addresses(names, source_ip, net):
    return [source_ip if a == "SOURCE" else a.replace("NET", net) for a in names]


def ssh_watches(layout):
    return [w for w in layout.watches if w.ssh]


def backup_state(ident, layout, public_key=None):
    """public_key: the source's key, which the ssh account takes (needed when a watch goes over ssh)."""
    modules = []
    for w in layout.watches:
        if w.ssh:
            continue
        modules.append("    - { name: %s, path: /srv/%s, auth_users: [%s], hosts_allow: [%s] }"
                       % (w.name, w.name, w.user, ident.src_ip))
    for m in layout.modules:
        extra = ""
        if m.read_only:
            extra += ", read_only: true"
        if m.hosts_deny:
            extra += ", hosts_deny: [%s]" % ", ".join(_addresses(m.hosts_deny, ident.src_ip, ident.net))
        modules.append("    - { name: %s, path: /srv/%s, auth_users: [backup], hosts_allow: [%s]%s }"
                       % (m.name, m.name, ", ".join(_addresses(m.hosts_allow, ident.src_ip, ident.net)), extra))
    return """version: 1
%sserver:
  config_file: /etc/rsyncd.conf
  secrets_file: /etc/rsyncd.secrets
  pid_file: /run/rsyncd.pid
  lock_file: /run/rsyncd.lock
  log_file: /var/log/rsyncd.log
  address: %s
  port: 873
  run_as: root
  users:
%s
  modules:
%s
%s""" % (SETTINGS, ident.bak_ip, "\n".join("    - { name: %s, password: { env: %s } }" % (u, env)
                                       for u, (env, _) in USERS.items()), "\n".join(modules) or "    []",
       "".join('  ssh_accounts:\n    - { user: %s, path: /srv/%s, authorized_keys: ["%s"] }\n' % (ident.ssh_user, w.name, public_key)
               for w in ssh_watches(layout)))


def _target(ident, w, host_key):
    if w.ssh:
        return '{ name: %s, url: "ssh://%s@%s:%d/", identity_file: %s, host_key: "%s" }' % (
            w.name, ident.ssh_user, ident.bak_ip, SSH_PORT, SSH_IDENTITY, host_key)
    return '{ name: %s, url: "rsync://%s@%s/%s", password_file: %s }' % (w.name, w.user, ident.bak_ip, w.name, USERS[w.user][1])


def source_state(ident, layout, backend=None, host_key=None):
    """backend: the watch backend to ask for (settings.watch_backend), None for the agent's default. host_key: the
    backup host's sshd key the ssh watches pin."""
    settings = SETTINGS + ("  watch_backend: %s\n" % backend if backend else "")
    watches = "".join("""  - name: %s
    source: /srv/%s
    targets: [ %s ]
    delay: 200ms
%s    rsync: { timeout: 10s, bwlimit_kbps: %d }
""" % (w.name, w.name, _target(ident, w, host_key),
       "" if w.max_delete is None else "    max_delete: %s\n" % w.max_delete, w.bwlimit_kbps)
                      for w in layout.watches)
    return """version: 1
%sclient:
  password_files:
%s
watches:%s
""" % (settings, "\n".join("    - { path: %s, password: { env: %s } }" % (path, env) for env, path in USERS.values()),
       "\n" + watches.rstrip("\n") if watches else " []")


def agent_env(ident, base, password=None):
    """The environment of an agent this suite starts: the daemon's passwords as the state's {env: NAME} sources."""
    return dict(base, LANG="C.UTF-8", FAULTS_PASSWORD=password or ident.password, FAULTS_PASSWORD2=ident.password2)
