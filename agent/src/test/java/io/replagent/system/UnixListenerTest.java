package io.replagent.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real sockets through libc; one test lets a read block for a moment before waking it. */
@Tag("e2e")
class UnixListenerTest {

    @TempDir Path dir;

    @Test void aConnectionKnowsItsPeerAndCarriesBytesBothWays() throws Exception {
        UnixListener listener = UnixListener.bind(dir.resolve("s.sock"), 4);
        try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(dir.resolve("s.sock")));
             UnixListener.Connection server = listener.accept()) {
            assertEquals(new UnixListener.Peer(ProcessHandle.current().pid(), UnixListener.effectiveUid(),
                    server.peer().gid()), server.peer());
            client.write(ByteBuffer.wrap("ping\n".getBytes(StandardCharsets.UTF_8)));
            byte[] got = new byte[5];
            assertEquals(5, server.input().readNBytes(got, 0, 5));
            assertEquals("ping\n", new String(got, StandardCharsets.UTF_8));
            server.output().write("pong".getBytes(StandardCharsets.UTF_8));
            ByteBuffer answer = ByteBuffer.allocate(4);
            while (answer.hasRemaining()) client.read(answer);
            assertEquals("pong", new String(answer.array(), StandardCharsets.UTF_8));
        } finally {
            listener.close();
        }
    }

    @Test void aReadPastItsDeadlineTimesOutAndShutdownWakesABlockedRead() throws Exception {
        UnixListener listener = UnixListener.bind(dir.resolve("s.sock"), 4);
        try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(dir.resolve("s.sock")));
             UnixListener.Connection server = listener.accept()) {
            InputStream in = server.input();
            long start = System.nanoTime();
            server.readDeadline(System.nanoTime() + Duration.ofMillis(200).toNanos());
            assertThrows(UnixListener.TimeoutException.class, in::read);
            assertTrue(System.nanoTime() - start >= Duration.ofMillis(150).toNanos());
            server.readDeadline(Long.MAX_VALUE);
            CompletableFuture<Integer> blocked = CompletableFuture.supplyAsync(() -> {
                try {
                    return in.read();
                } catch (Exception e) {
                    return -2;
                }
            });
            Thread.sleep(100); // let it block; the bound below is what the test waits on
            server.shutdown();
            assertEquals(-1, blocked.get(5, TimeUnit.SECONDS), "end of stream after shutdown");
        } finally {
            listener.close();
        }
    }

    @Test void closeEndsAccept() throws Exception {
        UnixListener listener = UnixListener.bind(dir.resolve("s.sock"), 4);
        CompletableFuture<UnixListener.Connection> accepting = CompletableFuture.supplyAsync(() -> {
            try {
                return listener.accept();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        listener.close();
        assertNull(accepting.get(5, TimeUnit.SECONDS));
    }
}
