package io.replagent.control;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("e2e")
class ControlServerTest {

    @TempDir Path tmp;
    Path socket;
    ControlServer server;

    final Operations operations = new Operations()
            .call("echo", "returns its arguments", args -> args)
            .call("status", "a fixed status", args -> Map.of("state", "running", "watches", 2))
            .call("fail", "always fails", args -> { throw new ControlException("bad_request", "no such target 'x'"); })
            .stream("count", "emits 0..n-1", (args, emit, open) -> {
                for (int i = 0; i < args.path("n").asInt() && open.getAsBoolean(); i++) emit.accept(Map.of("i", i));
            });

    @BeforeEach
    void start() throws IOException {
        socket = tmp.resolve("run/agent.sock");
        server = ControlServer.start(socket, operations);
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    @Test
    void answersCallsOverOneConnection() throws Exception {
        try (ControlClient client = ControlClient.connect(socket)) {
            assertEquals("running", client.call("status", null).path("state").asString());
            JsonNode echoed = client.call("echo", ControlClient.args().put("target", "backup"));
            assertEquals("backup", echoed.path("target").asString());
            assertTrue(client.call("ops", null).has("status"), "ops lists the registered operations");
        }
    }

    @Test
    void reportsOperationErrorsWithTheirCode() throws Exception {
        try (ControlClient client = ControlClient.connect(socket)) {
            ControlException e = assertThrows(ControlException.class, () -> client.call("fail", null));
            assertEquals("bad_request", e.code());
            assertEquals("no such target 'x'", e.getMessage());
            ControlException unknown = assertThrows(ControlException.class, () -> client.call("reboot", null));
            assertEquals("unknown_op", unknown.code());
            assertEquals("running", client.call("status", null).path("state").asString(), "the connection survives errors");
        }
    }

    @Test
    void streamsUntilTheClientStops() throws Exception {
        List<Integer> seen = new ArrayList<>();
        try (ControlClient client = ControlClient.connect(socket)) {
            client.stream("count", ControlClient.args().put("n", 1000), event -> {
                seen.add(event.path("i").asInt());
                return seen.size() < 5;
            });
        }
        assertEquals(List.of(0, 1, 2, 3, 4), seen);
    }

    @Test
    void garbageAndWrongVersionGetErrorsAndTheConnectionStaysUsable() throws Exception {
        try (RawConnection raw = new RawConnection(socket)) {
            assertEquals("bad_request", raw.exchange("this is not json").path("error").path("code").asString());
            assertEquals("bad_request", raw.exchange("[1,2]").path("error").path("code").asString());
            JsonNode wrongVersion = raw.exchange("{\"v\":9,\"id\":3,\"op\":\"status\"}");
            assertTrue(wrongVersion.path("error").path("message").asString().contains("version 9"));
            JsonNode ok = raw.exchange("{\"v\":1,\"id\":4,\"op\":\"status\"}");
            assertEquals(4, ok.path("id").asInt());
            assertTrue(ok.path("ok").asBoolean());
        }
    }

    @Test
    void oversizedRequestIsRefusedAndTheAgentKeepsServing() throws Exception {
        try (RawConnection raw = new RawConnection(socket)) {
            JsonNode refused = raw.exchange("{\"op\":\"echo\",\"args\":\"" + "x".repeat(Protocol.MAX_LINE + 10) + "\"}");
            assertEquals("bad_request", refused.path("error").path("code").asString());
        }
        try (ControlClient client = ControlClient.connect(socket)) {
            assertEquals("running", client.call("status", null).path("state").asString());
        }
    }

    @Test
    void socketIsPrivate() throws IOException {
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent())));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
    }

    @Test
    void secondAgentOnTheSameSocketRefusesToStart() {
        IOException e = assertThrows(IOException.class, () -> ControlServer.start(socket, operations));
        assertTrue(e.getMessage().contains("another agent is already running"), e.getMessage());
    }

    @Test
    void staleSocketFromACrashIsReplaced() throws Exception {
        Path stale = tmp.resolve("stale/agent.sock");
        Files.createDirectories(stale.getParent(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        try (ServerSocketChannel crashed = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            crashed.bind(UnixDomainSocketAddress.of(stale)); // closing does not unlink: the file stays, like after kill -9
        }
        assertTrue(Files.exists(stale));
        assertThrows(ControlException.class, () -> ControlClient.connect(stale).call("status", null));
        try (ControlServer replacement = ControlServer.start(stale, operations);
             ControlClient client = ControlClient.connect(stale)) {
            assertEquals("running", client.call("status", null).path("state").asString());
        }
    }

    @Test
    void refusesADirectoryOthersCanWrite() throws IOException {
        Path open = tmp.resolve("open");
        Files.createDirectory(open);
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        IOException e = assertThrows(IOException.class, () -> ControlServer.start(open.resolve("agent.sock"), operations));
        assertTrue(e.getMessage().contains("writable by others"), e.getMessage());
    }

    @Test
    void refusesAPathThatIsNotASocket() throws IOException {
        Path file = tmp.resolve("run/not-a-socket");
        Files.writeString(file, "x");
        IOException e = assertThrows(IOException.class, () -> ControlServer.start(file, operations));
        assertTrue(e.getMessage().contains("is not a socket"), e.getMessage());
    }

    @Test
    void unreachableAgentIsReportedPlainly() {
        ControlException e = assertThrows(ControlException.class, () -> ControlClient.connect(tmp.resolve("none.sock")));
        assertEquals("unreachable", e.code());
    }

    /**
     * SO_PEERCRED: even with the file modes opened up, a user other than root and the agent's own is refused.
     * The probe is a dependency-free Java program run as nobody (uid 65534).
     */
    @Test
    void refusesAnotherUser() throws Exception {
        for (Path dir : List.of(tmp, socket.getParent())) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));
        Path probeDir = Files.createTempDirectory("peer-probe");
        try {
            Files.setPosixFilePermissions(probeDir, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path probe = probeDir.resolve("Probe.java");
            Files.writeString(probe, """
                    import java.net.*; import java.nio.*; import java.nio.channels.*; import java.nio.charset.*;
                    public class Probe { public static void main(String[] a) throws Exception {
                      try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(a[0]))) {
                        // the agent may answer "denied" and close before this write lands: read what it said anyway
                        try { c.write(ByteBuffer.wrap("{\\"op\\":\\"status\\"}\\n".getBytes(StandardCharsets.UTF_8))); }
                        catch (java.io.IOException closedFirst) { }
                        ByteBuffer b = ByteBuffer.allocate(4096); c.read(b); b.flip();
                        System.out.print(StandardCharsets.UTF_8.decode(b)); } } }
                    """);
            Files.setPosixFilePermissions(probe, PosixFilePermissions.fromString("rw-r--r--"));
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process process = new ProcessBuilder("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                    java, "-Djava.io.tmpdir=" + probeDir, probe.toString(), socket.toString())
                    .redirectErrorStream(true).start();
            assertTrue(process.waitFor(60, TimeUnit.SECONDS));
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(output.contains("\"code\":\"denied\""), output);
            assertFalse(output.contains("running"), "no status leaks to the other user: " + output);
        } finally {
            try (var files = Files.walk(probeDir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Speaks the wire format directly, to send what ControlClient never would. */
    static final class RawConnection implements AutoCloseable {
        final SocketChannel channel;
        final InputStream in;
        final OutputStream out;

        RawConnection(Path socket) throws IOException {
            channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
            in = Channels.newInputStream(channel);
            out = Channels.newOutputStream(channel);
        }

        JsonNode exchange(String line) throws IOException {
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            return Protocol.parse(Protocol.readLine(in, Integer.MAX_VALUE));
        }

        @Override public void close() throws IOException {
            channel.close();
        }
    }
}
