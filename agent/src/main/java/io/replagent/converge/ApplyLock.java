package io.replagent.converge;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;

/**
 * One apply at a time per host: an exclusive lock on {@code STATE_DIR/apply.lock}, holding the holder's pid so the
 * one who waits can be told who holds it. The kernel drops the lock when the holder dies, so a stale file blocks no one.
 */
public final class ApplyLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private ApplyLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    public static ApplyLock acquire(Path stateDir, Duration timeout) throws IOException {
        Files.createDirectories(stateDir);
        Path file = stateDir.resolve("apply.lock");
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        Instant deadline = Instant.now().plus(timeout);
        try {
            while (true) {
                FileLock lock = tryLock(channel);
                if (lock != null) {
                    channel.truncate(0);
                    channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
                    channel.force(false);
                    return new ApplyLock(channel, lock);
                }
                if (Instant.now().isAfter(deadline)) {
                    String holder = new String(Files.readAllBytes(file), StandardCharsets.US_ASCII).strip();
                    throw new IOException("another apply is running (" + file + " is held by pid "
                            + (holder.isEmpty() ? "unknown" : holder) + "); gave up after " + String.format("%.1fs", timeout.toMillis() / 1000.0));
                }
                Thread.sleep(100);
            }
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        } catch (InterruptedException e) {
            channel.close();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + file);
        }
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null; // held by this very process (another apply in the same JVM)
        }
    }

    @Override public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
