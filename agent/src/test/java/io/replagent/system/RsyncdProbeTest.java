package io.replagent.system;

import org.junit.jupiter.api.Tag;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

@Tag("e2e")
class RsyncdProbeTest {

    private static Optional<String> probeServerSaying(String greeting) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Thread t = new Thread(() -> {
                try (Socket s = server.accept()) {
                    s.getOutputStream().write(greeting.getBytes(StandardCharsets.US_ASCII));
                    s.getInputStream().read();
                } catch (Exception ignored) {
                    // the probe hangs up first; nothing to do
                }
            });
            t.start();
            Optional<String> answer = RsyncdProbe.greeting("127.0.0.1", server.getLocalPort(), Duration.ofSeconds(2));
            t.join(2000);
            return answer;
        }
    }

    @Test void readsTheGreetingAndRejectsOtherServices() throws Exception {
        assertEquals(Optional.of("@RSYNCD: 32.0 sha512 sha256"), probeServerSaying("@RSYNCD: 32.0 sha512 sha256\n"));
        assertEquals(Optional.empty(), probeServerSaying("SSH-2.0-OpenSSH_9.2\r\n"));
    }

    @Test void nothingListeningIsEmpty() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        assertEquals(Optional.empty(), RsyncdProbe.greeting("127.0.0.1", port, Duration.ofMillis(500)));
    }

    @Test void wildcardListenAddressesAreReachedOnLoopback() {
        assertEquals("127.0.0.1", RsyncdProbe.connectAddress("0.0.0.0"));
        assertEquals("127.0.0.1", RsyncdProbe.connectAddress(null));
        assertEquals("::1", RsyncdProbe.connectAddress("::"));
        assertEquals("127.0.0.5", RsyncdProbe.connectAddress("127.0.0.5"));
    }
}
