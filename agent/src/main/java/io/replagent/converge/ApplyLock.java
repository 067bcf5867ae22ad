package io.replagent.converge;

import io.replagent.system.PidLock;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * The two locks of a state, each an exclusive flock on a file in {@code STATE_DIR} that names its holder's pid
 * ({@link PidLock}); the kernel drops them when the holder dies, so a stale file blocks no one.
 * <ul>
 * <li>{@link #acquire}: one converge at a time ({@code apply.lock}), waited for up to a timeout.</li>
 * <li>{@link #replicating}: one replicating agent per state ({@code agent.lock}), held for the life of the process,
 *     refused at once. The control socket is not this lock: a socket file can be deleted under a running agent.</li>
 * </ul>
 */
public final class ApplyLock implements AutoCloseable {

    static final String CONVERGE = "apply.lock";
    static final String REPLICATE = "agent.lock";

    private final PidLock lock;

    private ApplyLock(PidLock lock) {
        this.lock = lock;
    }

    /** The converge lock, waiting up to {@code timeout} for another apply's converge to finish. */
    public static ApplyLock acquire(Path stateDir, Duration timeout) throws IOException {
        Path file = stateDir.resolve(CONVERGE);
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            try {
                return new ApplyLock(PidLock.tryAcquire(file));
            } catch (PidLock.HeldException held) {
                if (Instant.now().isAfter(deadline))
                    throw new IOException("another apply is running (" + held.getMessage() + "); gave up after "
                            + String.format("%.1fs", timeout.toMillis() / 1000.0));
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for " + file);
            }
        }
    }

    /**
     * The replication lock of a state: taken before anything else by an apply that replicates, held until it exits.
     *
     * @throws IOException at once when another agent replicates this state, naming its pid
     */
    public static ApplyLock replicating(Path stateDir) throws IOException {
        try {
            return new ApplyLock(PidLock.tryAcquire(stateDir.resolve(REPLICATE)));
        } catch (PidLock.HeldException held) {
            throw new IOException("another agent is already replicating this state (" + held.getMessage()
                    + "); stop it first (apply --converge-only may run beside it)");
        }
    }

    @Override public void close() {
        lock.close();
    }
}
