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
import java.time.Duration;
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

    /** Issue 11, item 12: an existing socket directory kept its mode (0755, even 0777). */
    @Test
    void anExistingDirectoryOfTheAgentsOwnIsMade0700() throws IOException {
        Path open = Files.createDirectory(tmp.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        try (ControlServer own = ControlServer.start(open.resolve("agent.sock"), operations)) {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(open)));
        }
    }

    @Test
    void aSharedOrForeignDirectoryIsRefusedAndLeftAsItWas() throws Exception {
        Path shared = Files.createDirectories(tmp.resolve("shared/subdirectory")).getParent();
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));
        IOException e = assertThrows(IOException.class, () -> ControlServer.start(shared.resolve("agent.sock"), operations));
        assertTrue(e.getMessage().contains("is mode rwxr-xr-x and shared (it holds subdirectory)"), e.getMessage());
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(shared)));

        Path foreign = Files.createDirectory(tmp.resolve("foreign"));
        Files.setOwner(foreign, foreign.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
        e = assertThrows(IOException.class, () -> ControlServer.start(foreign.resolve("agent.sock"), operations));
        assertTrue(e.getMessage().contains("is owned by nobody, not by the agent's user"), e.getMessage());
    }

    /** Issue 11, item 11: stopping an agent whose socket was deleted removed the socket of the agent started since. */
    @Test
    void closingNeverRemovesASocketAnotherServerBoundSince() throws Exception {
        Files.delete(socket);
        try (ControlServer second = ControlServer.start(socket, operations)) {
            server.close();
            assertTrue(Files.exists(socket), "the second server's socket stays");
            try (ControlClient client = ControlClient.connect(socket)) {
                assertEquals("running", client.call("status", null).path("state").asString());
            }
        }
        assertFalse(Files.exists(socket), "its own socket goes with it");
    }

    /** Issue 11, item 12: connections that never send a request are answered "idle" and closed. */
    @Test
    void anIdleConnectionIsClosedWithAnAnswer() throws Exception {
        try (ControlServer quick = ControlServer.start(tmp.resolve("quick/agent.sock"), operations, limits(32, 4, 300));
             RawConnection raw = new RawConnection(quick.socket())) {
            long start = System.nanoTime();
            JsonNode answer = Protocol.parse(Protocol.readLine(raw.in, Integer.MAX_VALUE));
            assertEquals("idle", answer.path("error").path("code").asString(), answer.toString());
            assertTrue(System.nanoTime() - start >= Duration.ofMillis(250).toNanos());
            assertEquals(-1, raw.in.read(), "closed after the answer");
        }
    }

    @Test
    void aClientWhoseConnectionWentIdleReconnectsOnItsNextCall() throws Exception {
        try (ControlServer quick = ControlServer.start(tmp.resolve("quick/agent.sock"), operations, limits(32, 4, 300));
             ControlClient client = ControlClient.connect(quick.socket())) {
            assertEquals("running", client.call("status", null).path("state").asString());
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (quick.connections() > 0 && System.nanoTime() < deadline) Thread.sleep(20);
            assertEquals(0, quick.connections(), "the server closed the idle connection");
            assertEquals("running", client.call("status", null).path("state").asString());
        }
    }

    /** Issue 11, item 12: one process holds at most a few connections; the next one reads the server's "busy". */
    @Test
    void oneProcessCannotHoldMoreThanAFewConnections() throws Exception {
        List<RawConnection> held = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                held.add(new RawConnection(socket));
                assertEquals(4, held.get(i).exchange("{\"v\":1,\"id\":4,\"op\":\"status\"}").path("id").asInt());
            }
            ControlException busy = assertThrows(ControlException.class, () -> {
                try (ControlClient client = ControlClient.connect(socket)) {
                    client.call("status", null);
                }
            });
            assertEquals("busy", busy.code(), busy.getMessage());
            assertTrue(busy.getMessage().contains("already holds 4 control connections (at most 4)"), busy.getMessage());
        } finally {
            for (RawConnection c : held) c.close();
        }
    }

    /**
     * Issue 11, item 12, as reported: 500 idle connections of one client held all 32 slots, and `agent status` failed
     * with "Broken pipe". The idle client is a process of its own (the per-process limit counts its pid).
     */
    @Test
    void fiveHundredIdleConnectionsOfOneClientDoNotStarveTheOthers() throws Exception {
        Path hog = Files.writeString(tmp.resolve("Hog.java"), """
                import java.net.*; import java.nio.channels.*; import java.util.*;
                public class Hog { public static void main(String[] a) throws Exception {
                  List<SocketChannel> open = new ArrayList<>();
                  for (int i = 0; i < 500; i++) open.add(SocketChannel.open(UnixDomainSocketAddress.of(a[0])));
                  System.out.println("holding " + open.size()); System.out.flush();
                  Thread.sleep(120_000); } }
                """);
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                hog.toString(), socket.toString()).redirectErrorStream(true).start();
        try {
            String line = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream())).readLine();
            assertEquals("holding 500", line);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (server.connectionsOf(process.pid()) < 4 && System.nanoTime() < deadline) Thread.sleep(20);
            assertEquals(4, server.connectionsOf(process.pid()), "the client holds its few slots, no more");
            try (ControlClient client = ControlClient.connect(socket)) {
                assertEquals("running", client.call("status", null).path("state").asString());
            }
        } finally {
            process.destroyForcibly();
            process.waitFor();
        }
    }

    /** The answer to a refused connection is shown even when the agent closed before the request could be sent. */
    @Test
    void theClientShowsWhatTheAgentAnsweredBeforeClosing() throws Exception {
        Path scripted = tmp.resolve("scripted/agent.sock");
        Files.createDirectories(scripted.getParent());
        for (String code : List.of("busy", "denied")) {
            Files.deleteIfExists(scripted);
            try (ServerSocketChannel peer = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                peer.bind(UnixDomainSocketAddress.of(scripted));
                Thread answer = new Thread(() -> {
                    try (SocketChannel c = peer.accept()) {
                        Channels.newOutputStream(c).write((Protocol.error(0, code, code + " for this test") + "\n")
                                .getBytes(StandardCharsets.UTF_8));
                    } catch (IOException ignored) {
                        // the assertion below fails
                    }
                });
                answer.start();
                try (ControlClient client = ControlClient.connect(scripted)) {
                    answer.join(); // answered and closed: the request below hits a closed socket (EPIPE)
                    ControlException e = assertThrows(ControlException.class, () -> client.call("status", null));
                    assertEquals(code, e.code(), e.getMessage());
                    assertEquals(code + " for this test", e.getMessage());
                }
            }
        }
    }

    @Test
    void aRefusedUserIsAnsweredDenied() throws Exception {
        try (ControlServer nobody = ControlServer.start(tmp.resolve("closed/agent.sock"), operations,
                new ControlServer.Limits(32, 4, Duration.ofSeconds(60), uid -> false))) {
            ControlException e = assertThrows(ControlException.class, () -> {
                try (ControlClient client = ControlClient.connect(nobody.socket())) {
                    client.call("status", null);
                }
            });
            assertEquals("denied", e.code(), e.getMessage());
        }
    }

    private static ControlServer.Limits limits(int total, int perProcess, long idleMillis) {
        return new ControlServer.Limits(total, perProcess, Duration.ofMillis(idleMillis), uid -> true);
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
