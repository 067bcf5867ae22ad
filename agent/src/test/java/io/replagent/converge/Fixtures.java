package io.replagent.converge;

import io.replagent.state.Client;
import io.replagent.state.InotifyLimits;
import io.replagent.state.Secret;
import io.replagent.state.Server;
import io.replagent.state.Settings;
import io.replagent.state.State;
import io.replagent.system.Host;
import io.replagent.system.HostFiles;
import io.replagent.system.Processes;
import io.replagent.system.Sysctl;
import io.replagent.system.Users;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/** States and hosts for tests: everything under one temp directory, the daemon on 127.0.0.1 and a free port. */
final class Fixtures {

    static final String PASSWORD_ENV = "TEST_RSYNC_PASSWORD";
    static final String PASSWORD = "s3cret-Pass";

    private Fixtures() {}

    static Host host(Path procSys) {
        Processes processes = new Processes();
        return new Host(new HostFiles(), new Users(processes), processes, new Sysctl(procSys), Map.of(PASSWORD_ENV, PASSWORD));
    }

    static Settings settings(Path root, InotifyLimits limits) {
        return new Settings(root.resolve("var/lib/agent"), root.resolve("var/lib/agent/status.json"),
                root.resolve("run/agent.sock"), Settings.LogLevel.INFO, limits, List.of(), Settings.WatchBackend.AUTO,
                Settings.LogFormat.TEXT, Optional.empty());
    }

    static InotifyLimits checkLimits() {
        return new InotifyLimits(InotifyLimits.Ensure.CHECK, 0, 0, 0, null);
    }

    static Server.Module module(String name, Path path, boolean readOnly, List<String> hostsAllow, List<String> hostsDeny) {
        return new Server.Module(name, path, "backups of " + name, 0755, readOnly, false, true,
                List.of(new Server.AuthUser("rsync_backup", Server.AuthUser.Access.DEFAULT)), hostsAllow, hostsDeny, 0,
                Duration.ZERO, Optional.empty(), Optional.empty(), Optional.empty(), List.of(), false, false,
                Optional.empty(), List.of(), false, Map.of());
    }

    /** A backup server as the tutorial's checklist: user, /data (rw) and /ro (read-only, 127.0.0.2 denied). */
    static Server server(Path root, String runAs, int port, Server.Daemon.Manage manage) {
        return new Server(root.resolve("etc/rsyncd.conf"), root.resolve("etc/rsync.password"), root.resolve("run/rsyncd.pid"),
                root.resolve("run/rsync.lock"), root.resolve("var/log/rsyncd.log"), port, "127.0.0.1", runAs, true, 0,
                Duration.ofSeconds(300), List.of(new Server.User("rsync_backup", new Secret.Env(PASSWORD_ENV))),
                List.of(module("data", root.resolve("data"), false, List.of("127.0.0.1"), List.of("*")),
                        module("ro", root.resolve("ro"), true, List.of(), List.of())),
                new Server.Daemon(manage, null), Map.of());
    }

    static State backupServer(Path root, String runAs, int port) {
        return new State(1, settings(root, checkLimits()), Optional.of(server(root, runAs, port, Server.Daemon.Manage.PROCESS)),
                Optional.empty(), List.of());
    }

    static Client client(Path root) {
        return new Client(List.of(new Client.PasswordFile(root.resolve("etc/rsync.passwd"), new Secret.Env(PASSWORD_ENV))));
    }


    /** System users created by a test; {@link #close()} deletes them (with their groups). */
    static final class TestUsers implements AutoCloseable {
        private final Set<String> names = new HashSet<>();

        String unique() {
            String name = "agt" + Long.toHexString(ThreadLocalRandom.current().nextLong(0x10000000L, 0xFFFFFFFFL));
            names.add(name);
            return name;
        }

        @Override public void close() throws IOException {
            for (String name : names) new Processes().run(List.of("userdel", name));
        }
    }

    /** Stops the daemon whose pid file is given, if it runs. */
    static void stopDaemon(Path pidFile) throws IOException {
        if (!Files.exists(pidFile)) return;
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        Optional<ProcessHandle> p = ProcessHandle.of(pid);
        if (p.isPresent()) RsyncDaemon.stop(p.get());
    }
}
