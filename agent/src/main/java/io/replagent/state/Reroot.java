package io.replagent.state;

import java.nio.file.Path;
import java.util.List;

/**
 * Moves every absolute path of a state under a root directory, so plan and apply can converge a scratch tree
 * ({@code --root DIR}). System users and {@code /proc/sys} are not paths of the state and stay as they are.
 */
final class Reroot {

    private Reroot() {}

    /** The state with every path under {@code root} (relative: to the working directory); {@code /} changes nothing. */
    static State apply(State s, Path root) {
        Path base = root.toAbsolutePath().normalize();
        if (base.getParent() == null) return s;
        Under r = new Under(base);
        Settings st = s.settings();
        InotifyLimits limits = st.inotify();
        Settings settings = new Settings(r.of(st.stateDir()), r.of(st.statusFile()), r.of(st.controlSocket()), st.logLevel(),
                new InotifyLimits(limits.ensure(), limits.maxUserWatches(), limits.maxQueuedEvents(),
                        limits.maxUserInstances(), r.of(limits.sysctlFile())), st.adopt().stream().map(r::of).toList(),
                st.watchBackend());
        return new State(s.version(), settings, s.server().map(r::server), s.client().map(r::client),
                s.watches().stream().map(r::watch).toList());
    }

    private record Under(Path root) {

        Path of(Path path) {
            return path.isAbsolute() ? root.resolve(path.getRoot().relativize(path)) : path;
        }

        Secret secret(Secret secret) {
            return secret instanceof Secret.FromFile f ? new Secret.FromFile(of(f.path())) : secret;
        }

        Server server(Server v) {
            List<Server.User> users = v.users().stream().map(u -> new Server.User(u.name(), secret(u.password()))).toList();
            List<Server.Module> modules = v.modules().stream().map(m -> new Server.Module(m.name(), of(m.path()), m.comment(),
                    m.mode(), m.readOnly(), m.writeOnly(), m.list(), m.authUsers(), m.hostsAllow(), m.hostsDeny(),
                    m.maxConnections(), m.timeout(), m.uid(), m.gid(), m.useChroot(), m.refuseOptions(), m.ignoreErrors(),
                    m.fakeSuper(), m.incomingChmod(), m.exclude(), m.transferLogging(), m.extra(), m.history())).toList();
            return new Server(of(v.configFile()), of(v.secretsFile()), of(v.pidFile()), of(v.lockFile()), of(v.logFile()),
                    v.port(), v.address(), v.runAs(), v.useChroot(), v.maxConnections(), v.timeout(), users, modules,
                    v.daemon(), v.extra());
        }

        Client client(Client c) {
            return new Client(c.passwordFiles().stream()
                    .map(f -> new Client.PasswordFile(of(f.path()), secret(f.password()))).toList());
        }

        Watch watch(Watch w) {
            List<Target> targets = w.targets().stream().map(t -> new Target(t.name(),
                    t.endpoint() instanceof Target.Local l ? new Target.Local(of(l.path())) : t.endpoint(),
                    t.passwordFile().map(this::of), t.password().map(this::secret), t.history())).toList();
            return w.withSource(of(w.source())).withTargets(targets);
        }
    }
}
