package io.replagent.converge;

import org.junit.jupiter.api.Tag;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("e2e")
class ApplyLockTest {

    @TempDir Path stateDir;

    @Test void holdsThePidAndIsFreeAgainAfterClose() throws IOException {
        try (ApplyLock lock = ApplyLock.acquire(stateDir, Duration.ZERO)) {
            assertEquals(ProcessHandle.current().pid() + "", Files.readString(stateDir.resolve("apply.lock")).strip());
            IOException e = assertThrows(IOException.class, () -> ApplyLock.acquire(stateDir, Duration.ofMillis(200)));
            assertTrue(e.getMessage().contains("held by pid " + ProcessHandle.current().pid()), e.getMessage());
        }
        ApplyLock.acquire(stateDir, Duration.ZERO).close();
    }

    @Test void anotherProcessHoldingItIsNamedAndItsDeathFreesTheLock() throws Exception {
        Path file = stateDir.resolve("apply.lock");
        // a flock, as PidLock takes it, held by a separate process that writes its pid
        Process holder = new ProcessBuilder("python3", "-c", """
                import fcntl, os, sys, time
                f = open(sys.argv[1], 'a+')
                fcntl.flock(f, fcntl.LOCK_EX)
                f.truncate(0); f.write(str(os.getpid()) + '\\n'); f.flush()
                print('locked', flush=True)
                time.sleep(60)
                """, file.toString()).start();
        try {
            assertEquals("locked", new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8)).readLine());
            IOException e = assertThrows(IOException.class, () -> ApplyLock.acquire(stateDir, Duration.ofMillis(300)));
            assertEquals("another apply is running (" + file + " is held by pid " + holder.pid() + "); gave up after 0.3s", e.getMessage());
        } finally {
            holder.destroy();
            holder.waitFor();
        }
        ApplyLock.acquire(stateDir, Duration.ofSeconds(5)).close();
    }

    /** Issue 11, item 11: the replication lock is refused at once, naming the holder; the converge lock is another. */
    @Test void oneReplicatingAgentPerStateRefusedAtOnce() throws Exception {
        try (ApplyLock agent = ApplyLock.replicating(stateDir)) {
            long start = System.nanoTime();
            IOException e = assertThrows(IOException.class, () -> ApplyLock.replicating(stateDir));
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(1).toNanos(), "at once");
            assertEquals("another agent is already replicating this state (" + stateDir.resolve("agent.lock") + " is held by pid "
                    + ProcessHandle.current().pid() + "); stop it first (apply --converge-only may run beside it)", e.getMessage());
            ApplyLock.acquire(stateDir, Duration.ZERO).close(); // a converge beside a replicating agent
            // reading the holder's pid (another descriptor of the file, closed again) does not drop the lock
            assertEquals(ProcessHandle.current().pid() + "", Files.readString(stateDir.resolve("agent.lock")).strip());
            assertThrows(IOException.class, () -> ApplyLock.replicating(stateDir));
        }
        ApplyLock.replicating(stateDir).close();
    }
}
