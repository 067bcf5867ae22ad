package io.replagent.hook;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.replagent.replicate.Delivered;
import io.replagent.state.Target;
import io.replagent.state.Watch;
import io.replagent.system.Processes;
import io.replagent.testing.Watches;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real hook programs and a real webhook server on 127.0.0.1. */
@Tag("e2e")
class BatchHooksTest {

    /** Raw names (one char per byte): a newline, a leading dash, shell and rsync wildcard characters, non-UTF-8. */
    static final List<String> HOSTILE = List.of("plain.txt", "dir/with space", "-rf", "new\nline", "$(touch pwned)",
            "q'uo\"te", "*?[x]", "caf\u00c3\u00a9", "bad\u00ff\u00febytes", "--delete");

    static Watch withHook(Path source, List<String> exec, String webhook, Duration timeout) {
        Watch w = Watches.watch(source, new Target("backup", new Target.Local(source.resolveSibling("target")),
                Optional.empty(), Optional.empty()));
        return Watches.withOnBatch(Watches.withName(w, source.getFileName().toString()),
                new Watch.BatchHook(exec, Optional.ofNullable(webhook).map(URI::create), timeout));
    }

    static Delivered batch(String watch, List<String> paths) {
        return new Delivered(watch, "/srv/data", "backup", "rsync://backup:873/data/", "batch", false, paths,
                paths.size(), 4096, 0.25, Instant.parse("2026-12-01T12:00:00Z"));
    }

    static Path script(Path dir, String name, String body) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return file;
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(10);
        }
    }

    static long count(BatchHooks hooks, String hook, String result) {
        return hooks.counts().stream().filter(c -> c.hook().equals(hook) && c.result().equals(result))
                .mapToLong(BatchHooks.Count::count).sum();
    }

    @Test
    void theExecHookGetsExactlyTheBatchsPathsNulSeparatedAndOnlyItsOwnEnvironment(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("paths.bin");
        Path env = dir.resolve("env.txt");
        Path hook = script(dir, "hook", "cat > \"$1\"; env > \"$2\"");
        List<String> warnings = new CopyOnWriteArrayList<>();
        Watch w = withHook(dir.resolve("src"), List.of(hook.toString(), out.toString(), env.toString()), null, Duration.ofSeconds(10));
        try (BatchHooks hooks = BatchHooks.start(List.of(w), new Processes(), warnings::add)) {
            hooks.delivered(batch(w.name(), HOSTILE));
            hooks.delivered(batch("another-watch", List.of("x"))); // a watch without hooks: nothing
            await(() -> count(hooks, "exec", "ok") == 1, "the hook to run");
        }
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (String p : HOSTILE) {
            expected.writeBytes(p.getBytes(StandardCharsets.ISO_8859_1));
            expected.write(0);
        }
        assertArrayEquals(expected.toByteArray(), Files.readAllBytes(out), "every byte of every name, NUL after each");
        assertFalse(Files.exists(dir.resolve("src").resolveSibling("pwned")) || Files.exists(Path.of("pwned")));
        List<String> lines = Files.readAllLines(env);
        assertTrue(lines.containsAll(List.of("AGENT_WATCH=" + w.name(), "AGENT_SOURCE=/srv/data", "AGENT_TARGET=backup",
                "AGENT_DESTINATION=rsync://backup:873/data/", "AGENT_KIND=batch", "AGENT_FULL=0", "AGENT_PATHS=10",
                "AGENT_FILES=10", "AGENT_BYTES=4096")), lines.toString());
        Set<String> names = new TreeSet<>();
        for (String line : lines) names.add(line.substring(0, line.indexOf('=')));
        names.removeIf(n -> n.startsWith("AGENT_"));
        names.removeAll(Set.of("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "PWD", "SHLVL", "_")); // sh adds the last three
        assertEquals(Set.of(), names, "nothing of the agent's own environment (its secrets live there)");
        assertEquals(List.of(), warnings);
    }

    @Test
    void aFailingOrHangingHookIsLoggedCountedAndKilledAtItsTimeout(@TempDir Path dir) throws Exception {
        Path failing = script(dir, "failing", "echo 'cdn said no' >&2; exit 3");
        Path hanging = script(dir, "hanging", "exec sleep 30");
        List<String> warnings = new CopyOnWriteArrayList<>();
        Watch a = withHook(dir.resolve("a"), List.of(failing.toString()), null, Duration.ofSeconds(10));
        Watch b = withHook(dir.resolve("b"), List.of(hanging.toString()), null, Duration.ofMillis(300));
        try (BatchHooks hooks = BatchHooks.start(List.of(a, b), new Processes(), warnings::add)) {
            hooks.delivered(batch(a.name(), List.of("x")));
            hooks.delivered(batch(b.name(), List.of("y")));
            await(() -> count(hooks, "exec", "failed") == 1 && count(hooks, "exec", "timeout") == 1, "both outcomes");
            assertEquals(List.of(new BatchHooks.Count(a.name(), "exec", "failed", 1), new BatchHooks.Count(b.name(), "exec", "timeout", 1)),
                    hooks.counts());
        }
        assertTrue(warnings.contains("watch " + a.name() + " target backup: on_batch exec failed: exit 3: cdn said no"), warnings.toString());
        assertTrue(warnings.contains("watch b target backup: on_batch exec timeout: timed out after 0.3 s (killed)"), warnings.toString());
    }

    @Test
    void aFullQueueDropsAndCountsInsteadOfHoldingUpTheCaller(@TempDir Path dir) throws Exception {
        Path started = dir.resolve("started");
        Path go = dir.resolve("go");
        Path slow = script(dir, "slow", "touch \"$1\"; while [ ! -e \"$2\" ]; do sleep 0.02; done");
        List<String> warnings = new CopyOnWriteArrayList<>();
        Watch w = withHook(dir.resolve("src"), List.of(slow.toString(), started.toString(), go.toString()), null,
                Duration.ofSeconds(20));
        try (BatchHooks hooks = BatchHooks.start(List.of(w), new Processes(), 2, warnings::add)) {
            hooks.delivered(batch(w.name(), List.of("1")));
            await(() -> Files.exists(started), "the first call to run");
            long t0 = System.nanoTime();
            for (int i = 2; i <= 8; i++) hooks.delivered(batch(w.name(), List.of(String.valueOf(i))));
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(1), "offering never waits for the hook");
            assertEquals(5, count(hooks, "exec", "dropped"), "two queued, five dropped");
            Files.createFile(go);
            await(() -> count(hooks, "exec", "ok") == 3, "the queued calls");
        }
        assertEquals(1, warnings.size(), "one warning per backlog, not per drop: " + warnings);
        assertTrue(warnings.get(0).startsWith("watch " + w.name() + ": on_batch hooks are 2 batches behind"), warnings.get(0));
    }

    @Test
    void theWebhookPostsASummaryWithPathsCappedAndCountsExact(@TempDir Path dir) throws Exception {
        BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
        List<String> contentTypes = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 8);
        server.createContext("/hook", exchange -> {
            contentTypes.add(exchange.getRequestHeaders().getFirst("Content-Type"));
            received.add(JsonMapper.builder().build().readTree(exchange.getRequestBody().readAllBytes()));
            int code = exchange.getRequestURI().getQuery().contains("fail") ? 500 : 204;
            exchange.sendResponseHeaders(code, -1);
            exchange.close();
        });
        server.createContext("/slow", exchange -> {
            try {
                Thread.sleep(3000);
            } catch (InterruptedException ignored) {
                // the server stops
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        List<String> warnings = new CopyOnWriteArrayList<>();
        try {
            List<String> many = new ArrayList<>(HOSTILE);
            for (int i = 0; i < 140; i++) many.add("many/" + i);
            Watch ok = withHook(dir.resolve("ok"), List.of(), base + "/hook?token=s3cret", Duration.ofSeconds(10));
            try (BatchHooks hooks = BatchHooks.start(List.of(ok), new Processes(), warnings::add)) {
                hooks.delivered(batch(ok.name(), many));
                JsonNode body = received.poll(20, TimeUnit.SECONDS);
                assertEquals("application/json", contentTypes.get(0));
                assertEquals(ok.name(), body.path("watch").asString());
                assertEquals("backup", body.path("target").asString());
                assertEquals(150, body.path("paths_total").asInt());
                assertTrue(body.path("paths_truncated").asBoolean());
                assertEquals(Webhook.MAX_PATHS, body.path("paths").size());
                assertEquals("new\nline", body.path("paths").get(3).asString());
                assertEquals("caf\u00e9", body.path("paths").get(7).asString());
                assertEquals("bad\ufffd\ufffdbytes", body.path("paths").get(8).asString());
                assertEquals(150, body.path("files").asLong());
                assertEquals(4096, body.path("bytes").asLong());
                assertEquals("2026-12-01T12:00:00Z", body.path("at").asString());
                await(() -> count(hooks, "webhook", "ok") == 1, "the count");
            }
            Watch failing = withHook(dir.resolve("f"), List.of(), base + "/hook?fail&token=s3cret", Duration.ofSeconds(10));
            Watch slow = withHook(dir.resolve("slow"), List.of(), base + "/slow?token=s3cret", Duration.ofMillis(300));
            try (BatchHooks hooks = BatchHooks.start(List.of(failing, slow), new Processes(), warnings::add)) {
                hooks.delivered(batch(failing.name(), List.of("a")));
                hooks.delivered(batch(slow.name(), List.of("b")));
                await(() -> count(hooks, "webhook", "failed") == 1 && count(hooks, "webhook", "timeout") == 1, "both outcomes");
            }
            String port = String.valueOf(server.getAddress().getPort());
            assertEquals(List.of("watch " + failing.name() + " target backup: on_batch webhook failed: http://127.0.0.1:" + port
                            + " answered HTTP 500",
                    "watch slow target backup: on_batch webhook timeout: http://127.0.0.1:" + port + " timed out after 0.3 s"),
                    warnings.stream().sorted().toList());
            assertFalse(warnings.stream().anyMatch(m -> m.contains("s3cret")), "the URL's token is never logged");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void pathsOnStdinAreRawBytesEachEndedByNul() {
        assertArrayEquals(new byte[] {'a', 0, (byte) 0xff, '\n', 0}, ExecHook.stdin(List.of("a", "\u00ff\n")));
        assertEquals("[]", Arrays.toString(ExecHook.stdin(List.of())));
    }
}
