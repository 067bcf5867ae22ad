package io.replagent.testing;

import io.replagent.state.Target;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A real rsync daemon on 127.0.0.1 (a free port) serving one writable module {@code data}, with a user, a secrets
 * file and a client password file (mode 0600). Stop and start it again on the same port to simulate an outage.
 */
public final class RsyncDaemon implements AutoCloseable {

    public static final String MODULE = "data";
    public static final String USER = "agent";

    private final Path dir;
    private final Path module;
    private final Path config;
    private final Path passwordFile;
    private final Path log;
    private final String password = UUID.randomUUID().toString();
    private final int port;
    private Process process;

    private RsyncDaemon(Path dir, int maxConnections) throws IOException {
        this.dir = dir;
        this.module = Files.createDirectories(dir.resolve("module"));
        this.config = dir.resolve("rsyncd.conf");
        this.passwordFile = dir.resolve("client.password");
        this.log = dir.resolve("rsyncd.log");
        this.port = Ports.free();
        Path secrets = dir.resolve("rsyncd.secrets");
        writePrivate(secrets, USER + ":" + password + "\n");
        writePrivate(passwordFile, password + "\n");
        Files.writeString(config, String.join("\n",
                "pid file = " + dir.resolve("rsyncd.pid"),
                "log file = " + log,
                "use chroot = no",
                "munge symlinks = no",
                "max connections = " + maxConnections,
                "lock file = " + dir.resolve("rsyncd.lock"),
                "[" + MODULE + "]",
                "path = " + module,
                "read only = no",
                "uid = root",
                "gid = root",
                "auth users = " + USER,
                "secrets file = " + secrets,
                "transfer logging = yes",
                "log format = %o %b %f",
                ""));
    }

    /** Starts a daemon whose files live under {@code dir}. */
    public static RsyncDaemon start(Path dir) throws IOException {
        return start(dir, 0);
    }

    public static RsyncDaemon start(Path dir, int maxConnections) throws IOException {
        RsyncDaemon d = new RsyncDaemon(dir, maxConnections);
        d.start();
        return d;
    }

    public synchronized void start() throws IOException {
        if (process != null && process.isAlive()) return;
        Files.deleteIfExists(dir.resolve("rsyncd.pid"));
        process = new ProcessBuilder("rsync", "--daemon", "--no-detach", "--config=" + config, "--port=" + port,
                "--address=127.0.0.1").redirectErrorStream(true).redirectOutput(dir.resolve("daemon.out").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                if (!process.isAlive()) throw new IOException("rsync daemon exited: " + Files.readString(dir.resolve("daemon.out")));
                sleep(20);
            }
        }
        throw new IOException("rsync daemon did not listen on port " + port);
    }

    /**
     * Kills the daemon and the connections it serves. All are frozen first (SIGSTOP): killed one by one, a daemon that
     * accepts a connection meanwhile forks a receiver nobody kills, and a push "survives" the outage.
     */
    public synchronized void stop() {
        if (process == null) return;
        kill(process);
        process = null;
    }

    /**
     * Kills a server a test started, with the processes it forked for its connections, and waits for all of them (an
     * sshd session still running as a test account would make deleting the account fail). All are frozen first
     * (SIGSTOP): killed one by one, a server that accepts a connection meanwhile forks a child nobody kills.
     */
    static void kill(Process process) {
        List<ProcessHandle> frozen = new ArrayList<>(List.of(process.toHandle()));
        for (List<ProcessHandle> more = frozen; !more.isEmpty();
             more = process.descendants().filter(p -> !frozen.contains(p)).toList()) {
            if (more != frozen) frozen.addAll(more);
            freeze(more);
        }
        frozen.forEach(ProcessHandle::destroyForcibly);
        List<ProcessHandle> children = frozen.subList(1, frozen.size());
        try {
            process.waitFor();
            for (ProcessHandle child : children) child.onExit().get(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // gone already, or it will be: nothing more to do for it
        }
    }

    private static void freeze(List<ProcessHandle> processes) {
        List<String> command = new ArrayList<>(List.of("kill", "-STOP"));
        processes.forEach(p -> command.add(String.valueOf(p.pid())));
        try {
            new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override public void close() {
        stop();
    }

    /** Where the module's files land. */
    public Path module() {
        return module;
    }

    public int port() {
        return port;
    }

    /** The daemon's transfer log (one line per file: operation, bytes, name). */
    public Path log() {
        return log;
    }

    public Path passwordFile() {
        return passwordFile;
    }

    /** A target of the module, authenticated by the client password file. */
    public Target target(String name) {
        return new Target(name, new Target.Daemon(USER, "127.0.0.1", port, MODULE, ""), Optional.of(passwordFile),
                Optional.empty());
    }

    public String password() {
        return password;
    }

    private static void writePrivate(Path file, String text) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, text);
    }


    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
