package io.replagent.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A real OpenSSH server of the test's own: {@code sshd -D} on 127.0.0.1 at a free port, with a generated ed25519 host
 * key and its config, pid file and log in a scratch directory. Key login only (no PAM, no passwords), so an account
 * needs a password field of {@code *} (a locked {@code !} is refused). Stopped by its PID, with the sessions it
 * forked; the system's sshd, its config and {@code ~/.ssh} are never touched. Needs root and openssh-server.
 */
public final class Sshd implements AutoCloseable {

    public static final String SSHD = "/usr/sbin/sshd";

    private final Path dir;
    private final Path hostKey;
    private final Path log;
    private final int port;
    private final List<String> accounts = new ArrayList<>();
    private Process process;

    private Sshd(Path dir) throws IOException {
        this.dir = dir;
        this.hostKey = dir.resolve("host_ed25519");
        this.log = dir.resolve("sshd.log");
        this.port = Ports.free();
        Files.writeString(dir.resolve("sshd_config"), String.join("\n",
                "Port " + port,
                "ListenAddress 127.0.0.1",
                "HostKey " + hostKey,
                "PidFile " + dir.resolve("sshd.pid"),
                "UsePAM no",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "PubkeyAuthentication yes",
                "PermitRootLogin no",
                "AuthorizedKeysFile .ssh/authorized_keys",
                "StrictModes yes",
                "X11Forwarding no",
                "LogLevel VERBOSE",
                // bursts of parallel pushes, each its own connection when they do not share one
                "MaxStartups 64:30:128",
                "MaxSessions 32",
                ""));
    }

    /** Starts an sshd whose files live under {@code dir} (created). */
    public static Sshd start(Path dir) throws IOException {
        Files.createDirectories(dir);
        Sshd sshd = new Sshd(dir);
        sshd.newHostKey();
        sshd.start();
        return sshd;
    }

    public synchronized void start() throws IOException {
        if (process != null && process.isAlive()) return;
        Files.createDirectories(Path.of("/run/sshd")); // sshd's privilege separation directory (packaged, not created on boot here)
        process = new ProcessBuilder(SSHD, "-D", "-f", dir.resolve("sshd_config").toString(), "-E", log.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("sshd.out").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                if (!process.isAlive()) throw new IOException("sshd exited: " + Files.readString(dir.resolve("sshd.out")) + logTail());
                RsyncDaemon.sleep(20);
            }
        }
        throw new IOException("sshd did not listen on port " + port + ": " + logTail());
    }

    /** Kills sshd and the sessions it serves. */
    public synchronized void stop() {
        if (process == null) return;
        RsyncDaemon.kill(process);
        process = null;
    }

    /** A new host key, as when the backup host is reinstalled or its key rotated; takes effect at the next start. */
    public synchronized void newHostKey() throws IOException {
        Files.deleteIfExists(hostKey);
        Files.deleteIfExists(Path.of(hostKey + ".pub"));
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "test-sshd", "-f", hostKey.toString());
    }

    /**
     * A throwaway account whose home is {@code home} (created, 0700) with one {@code authorized_keys} line, for tests
     * that do not converge one; deleted with its group by {@link #close()}.
     */
    public synchronized String account(Path home, String authorizedKeysLine) throws IOException {
        String user = "agtssh" + Long.toHexString(ThreadLocalRandom.current().nextLong(0x1000000L, 0xFFFFFFFL));
        run("useradd", "--system", "--user-group", "--no-create-home", "--home-dir", home.toString(), "--shell", "/bin/sh",
                "--password", "*", "--", user);
        accounts.add(user);
        Path ssh = Files.createDirectories(home.resolve(".ssh"));
        Files.writeString(ssh.resolve("authorized_keys"), authorizedKeysLine + "\n");
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
        Files.setPosixFilePermissions(ssh, PosixFilePermissions.fromString("rwx------"));
        Files.setPosixFilePermissions(ssh.resolve("authorized_keys"), PosixFilePermissions.fromString("rw-------"));
        run("chown", "-R", user + ":" + user, "--", home.toString());
        return user;
    }

    private static void run(String... argv) throws IOException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) throw new IOException(String.join(" ", argv) + ": " + out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }

    @Override public void close() {
        stop();
        for (String user : accounts) {
            try {
                run("userdel", user);
            } catch (IOException e) {
                System.err.println("Sshd: " + e.getMessage());
            }
        }
        accounts.clear();
    }

    public int port() {
        return port;
    }

    /** The host's public key as a state pins it: {@code ssh-ed25519 AAAA... test-sshd}. */
    public String hostKey() throws IOException {
        return Files.readString(Path.of(hostKey + ".pub")).strip();
    }

    /** What sshd logged (VERBOSE: logins, refusals, forced commands). */
    public String log() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** Logins (handshakes with a key accepted) of {@code user} so far. */
    public long logins(String user) throws IOException {
        return log().lines().filter(l -> l.contains("Accepted publickey for " + user + " ")).count();
    }

    private String logTail() throws IOException {
        List<String> lines = log().lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
    }

    /**
     * Lets accounts reach what a test puts under {@code dir}: sshd reads {@code authorized_keys} as the account's user,
     * which must be able to traverse every directory above it ({@code @TempDir} is 0700).
     */
    public static void traversable(Path dir) throws IOException {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
