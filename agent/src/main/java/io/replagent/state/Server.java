package io.replagent.state;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The backup host's rsync daemon: global rsyncd.conf settings, its users and modules, and how it is run.
 *
 * @param runAs          system user the daemon writes as (rsyncd {@code uid}/{@code gid}); created when missing
 * @param maxConnections daemon-wide cap, 0 = unlimited
 * @param timeout        I/O timeout of daemon connections, {@link Duration#ZERO} = none
 * @param extra          other rsyncd global parameters, by their rsyncd.conf name
 */
public record Server(
        Path configFile,
        Path secretsFile,
        Path pidFile,
        Path lockFile,
        Path logFile,
        int port,
        String address,
        String runAs,
        boolean useChroot,
        int maxConnections,
        Duration timeout,
        List<User> users,
        List<Module> modules,
        Daemon daemon,
        Map<String, String> extra) {

    public Server {
        users = List.copyOf(users);
        modules = List.copyOf(modules);
        extra = Map.copyOf(extra);
    }

    /** An rsync daemon user (a line of the secrets file). */
    public record User(String name, Secret password) {}

    /** How the daemon process is managed; {@code systemdUnit} defaults to Debian's own unit name. */
    public record Daemon(Manage manage, String systemdUnit) {
        public static final String DEFAULT_UNIT = "rsync.service";

        public enum Manage { PROCESS, SYSTEMD, NONE }

        public Daemon {
            if (systemdUnit == null || systemdUnit.isEmpty()) systemdUnit = DEFAULT_UNIT;
        }
    }

    /**
     * One {@code [module]} section. Optional rsyncd options are empty when the state leaves them to rsync's default;
     * {@code history} is the retention the backup host's agent applies to the module's {@code .agent/history/}.
     */
    public record Module(
            String name,
            Path path,
            String comment,
            int mode,
            boolean readOnly,
            boolean writeOnly,
            boolean list,
            List<AuthUser> authUsers,
            List<String> hostsAllow,
            List<String> hostsDeny,
            int maxConnections,
            Duration timeout,
            Optional<String> uid,
            Optional<String> gid,
            Optional<Boolean> useChroot,
            List<String> refuseOptions,
            boolean ignoreErrors,
            boolean fakeSuper,
            Optional<String> incomingChmod,
            List<String> exclude,
            boolean transferLogging,
            Map<String, String> extra,
            Optional<Retention> history) {

        /** A module without history retention. */
        public Module(String name, Path path, String comment, int mode, boolean readOnly, boolean writeOnly, boolean list,
                      List<AuthUser> authUsers, List<String> hostsAllow, List<String> hostsDeny, int maxConnections,
                      Duration timeout, Optional<String> uid, Optional<String> gid, Optional<Boolean> useChroot,
                      List<String> refuseOptions, boolean ignoreErrors, boolean fakeSuper, Optional<String> incomingChmod,
                      List<String> exclude, boolean transferLogging, Map<String, String> extra) {
            this(name, path, comment, mode, readOnly, writeOnly, list, authUsers, hostsAllow, hostsDeny, maxConnections,
                    timeout, uid, gid, useChroot, refuseOptions, ignoreErrors, fakeSuper, incomingChmod, exclude,
                    transferLogging, extra, Optional.empty());
        }

        public Module {
            authUsers = List.copyOf(authUsers);
            hostsAllow = List.copyOf(hostsAllow);
            hostsDeny = List.copyOf(hostsDeny);
            refuseOptions = List.copyOf(refuseOptions);
            exclude = List.copyOf(exclude);
            extra = Map.copyOf(extra);
        }
    }

    /** An {@code auth users} entry; access DEFAULT follows the module's read_only. */
    public record AuthUser(String name, Access access) {
        public enum Access { DEFAULT, RO, RW }
    }
}
