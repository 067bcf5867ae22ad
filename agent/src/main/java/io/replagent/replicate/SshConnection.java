package io.replagent.replicate;

import io.replagent.state.PublicKey;
import io.replagent.state.Target;
import io.replagent.system.Processes;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shared connection to one ssh account, made before the pushes that use it: one handshake for a burst of
 * batches, and a host whose key is not the pinned one, or that refuses the key, is found before any rsync starts.
 * Remembers the last handshake (when, and the fingerprint of the host key that passed) for status and doctor.
 * Targets that reach the same account the same way share one instance (one control socket, see {@link SshCommand#id}).
 */
final class SshConnection {

    static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern FINGERPRINT = Pattern.compile("Host key fingerprint is (\\S+)");

    /** A handshake that passed: when, and the host key's fingerprint ({@code SHA256:...}). */
    record Handshake(Instant at, String fingerprint) {}

    /** Why the connection could not be made: ssh's exit and words, and what they mean when known. */
    record Failure(int exit, String error, Optional<SshExit> kind) {}

    private final SshCommand ssh;
    private final Processes processes;
    private final Clock clock;
    private Handshake last;
    private long handshakes;

    /**
     * How a target is reached, for status and doctor: rsyncd or local, or ssh with the pinned keys' fingerprints and
     * the last handshake of its connection {@code ssh}.
     */
    static ReplicationStatus.Transport transport(Target.Endpoint endpoint, SshConnection ssh) {
        if (!(endpoint instanceof Target.Ssh target)) {
            return new ReplicationStatus.Transport(endpoint instanceof Target.Daemon ? "rsyncd" : "local", null);
        }
        List<String> pinned = target.access().hostKeys().stream().map(k -> PublicKey.parse(k).fingerprint()).toList();
        Optional<Handshake> last = ssh.lastHandshake();
        return new ReplicationStatus.Transport("ssh", new ReplicationStatus.SshStatus(pinned,
                last.map(Handshake::fingerprint).orElse(null), last.map(Handshake::at).orElse(null), ssh.handshakes()));
    }

    SshConnection(SshCommand ssh, Processes processes, Clock clock) {
        this.ssh = ssh;
        this.processes = processes;
        this.clock = clock;
    }

    /** Up, or made now; empty when it is usable, else why not. Without sharing, every push shakes hands itself. */
    synchronized Optional<Failure> ensure() throws IOException {
        if (!ssh.shared() || processes.run(ssh.control("check")).ok()) return Optional.empty();
        Processes.Result r = processes.run(ssh.master(), Map.of(), HANDSHAKE_TIMEOUT);
        if (r.ok()) {
            last = new Handshake(clock.instant(), fingerprint(r.err()).orElse(""));
            handshakes++;
            return Optional.empty();
        }
        String error = r.err().strip();
        return Optional.of(new Failure(r.exit(), error, SshExit.classify(r.exit() == 0 ? SshExit.SSH_FAILED : r.exit(), error)));
    }

    /** Ends the shared connection (the agent stops, or the target's state changed). */
    synchronized void close() throws IOException {
        if (ssh.shared()) processes.run(ssh.control("exit"));
    }

    synchronized Optional<Handshake> lastHandshake() {
        return Optional.ofNullable(last);
    }

    /** Handshakes this connection made since the agent started. */
    synchronized long handshakes() {
        return handshakes;
    }

    SshCommand command() {
        return ssh;
    }

    /** ssh's VisualHostKey line: "Host key fingerprint is SHA256:...". */
    static Optional<String> fingerprint(String stderr) {
        Matcher m = FINGERPRINT.matcher(stderr);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }
}
