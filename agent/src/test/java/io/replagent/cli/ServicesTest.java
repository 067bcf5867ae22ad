package io.replagent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.replagent.control.ControlClient;
import io.replagent.metrics.MetricsExporterTest;
import io.replagent.testing.AgentProcess;
import io.replagent.testing.NotifySocket;
import io.replagent.testing.Ports;
import io.replagent.testing.Trees;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running agent (a process of its own) as systemd, Prometheus and a hook see it: a notify socket the test binds,
 * /metrics scraped during a burst of writes, an exec hook recording every batch's paths.
 */
@org.junit.jupiter.api.Tag("e2e")
class ServicesTest {

    @TempDir Path root;
    Process agent;

    @AfterEach
    void stop() throws Exception {
        if (agent != null) {
            agent.destroyForcibly();
            agent.waitFor(10, TimeUnit.SECONDS);
        }
        Path pidFile = root.resolve("run/rsyncd.pid");
        if (Files.exists(pidFile)) CliFixture.stopDaemon(pidFile);
    }

    @Test
    void readyAfterTheInitialSyncMetricsDuringABurstHooksGetEveryPathStoppingAtTheEnd() throws Exception {
        Path state = AgentProcess.writeLoopbackState(root);
        Path source = root.resolve("srv/source");
        Files.createDirectories(source);
        for (int i = 0; i < 50; i++) Files.writeString(source.resolve("initial-" + i), "x".repeat(1000));
        Path hookOut = root.resolve("hook");
        Files.createDirectories(hookOut);
        Path hook = root.resolve("hook.sh");
        // one file per call: its stdin (the paths) and its environment
        Files.writeString(hook, "#!/bin/sh\nn=$(date +%s%N)-$$\ncat > \"$1/$n.paths\"\nenv > \"$1/$n.env\"\n");
        Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwx------"));
        int port = Ports.free();
        Files.writeString(state, Files.readString(state)
                .replace("settings:\n", "settings:\n  metrics: { listen: " + port + ", textfile: /var/lib/node/agent.prom }\n")
                .replace("    delay: 100ms\n", "    delay: 100ms\n    on_batch: { exec: [" + hook + ", " + hookOut + "] }\n"));
        try (NotifySocket systemd = new NotifySocket(root.resolve("notify").toString())) {
            ProcessBuilder builder = new ProcessBuilder(AgentProcess.javaCommand(List.of("apply", state.toString(), "--root",
                    root.toString(), "--auto-approve"))).redirectErrorStream(true).redirectOutput(root.resolve("agent.log").toFile());
            builder.environment().putAll(AgentProcess.ENV);
            builder.environment().put("NOTIFY_SOCKET", systemd.name());
            builder.environment().put("WATCHDOG_USEC", "2000000");
            agent = builder.start();
            Path socket = root.resolve("run/agent/agent.sock");

            List<String> beforeReady = systemd.receiveUntil("READY=1", Duration.ofSeconds(60));
            String ready = beforeReady.get(beforeReady.size() - 1);
            try (ControlClient client = ControlClient.connect(socket)) {
                JsonNode target = client.call("status", null).path("watches").get(0).path("targets").get(0);
                assertTrue(target.path("last_success").isString(), "READY only after the initial sync: " + target);
            }
            assertTrue(Files.exists(root.resolve("srv/backup/initial-49")), "the initial sync had run by READY");
            assertTrue(beforeReady.stream().anyMatch(m -> m.contains("EXTEND_TIMEOUT_USEC=")), beforeReady.toString());
            assertTrue(ready.contains("STATUS=1 watch, 1 target"), ready);
            assertTrue(systemd.receiveUntil("WATCHDOG=1", Duration.ofSeconds(60)).size() <= 3, "pinged every second with WATCHDOG_USEC=2 s");

            // a burst, scraped while it is replicated
            List<String> scrapes = new ArrayList<>();
            Set<String> written = new HashSet<>();
            for (int i = 0; i < 2000; i++) {
                String name = "burst/" + (i % 20) + "/f-" + i;
                Path file = source.resolve(name);
                Files.createDirectories(file.getParent());
                Files.writeString(file, "burst " + i);
                written.add(name);
                if (i % 250 == 0) scrapes.add(scrape(port));
            }
            Trees.awaitEqual(source, root.resolve("srv/backup"), Duration.ofSeconds(60));
            String last = awaitMetrics(port, "agent_target_queued_paths{target=\"backup\",watch=\"src\"} 0.0");
            scrapes.add(last);
            for (String s : scrapes) assertTrue(s.contains("agent_target_sent_files_total{target=\"backup\",watch=\"src\"}"), s);
            assertEquals(List.of(), MetricsExporterTest.promtool(last), "promtool check metrics on the live agent's output");
            assertTrue(value(last, "agent_target_sent_files_total{target=\"backup\",watch=\"src\"}") >= 2050, last);
            assertTrue(value(last, "agent_target_rsync_runs_total{exit=\"0\",target=\"backup\",watch=\"src\"}") >= 2, last);
            assertEquals(1.0, value(last, "agent_target_full_syncs_total{kind=\"initial\",target=\"backup\",watch=\"src\"}"));
            assertFalse(last.contains(AgentProcess.PASSWORD), "no secret in the metrics");
            assertTrue(Files.readString(root.resolve("var/lib/node/agent.prom")).contains("agent_info{"), "the textfile too");

            // every written file reached the hook, named or inside a directory sent whole ("burst/3/"), and nothing else
            Map<String, Integer> hooked = awaitHooked(hookOut, written);
            for (String path : hooked.keySet()) {
                assertTrue(written.contains(path) || path.endsWith("/") && written.stream().anyMatch(w -> w.startsWith(path))
                        || path.equals("burst/"), "a path the burst did not write: " + path);
            }
            String env = Files.readString(Files.list(hookOut).filter(p -> p.toString().endsWith(".env")).findFirst().orElseThrow());
            assertTrue(env.contains("AGENT_WATCH=src\n") && env.contains("AGENT_TARGET=backup\n"), env);
            assertFalse(env.contains(AgentProcess.PASSWORD) || env.contains("E2E_PASSWORD"), "not the agent's secrets: " + env);

            new ProcessBuilder("kill", "-TERM", String.valueOf(agent.pid())).start().waitFor();
            List<String> end = systemd.receiveUntil("STOPPING=1", Duration.ofSeconds(60));
            assertTrue(end.get(end.size() - 1).startsWith("STOPPING=1\nSTATUS=stopping"), end.toString());
            assertTrue(agent.waitFor(30, TimeUnit.SECONDS));
            assertEquals(143, agent.exitValue(), "the JVM's exit after SIGTERM (the unit's SuccessExitStatus): "
                    + Files.readString(root.resolve("agent.log")));
            assertTrue(Files.readString(root.resolve("agent.log")).contains("info stopped"));
        }
    }

    /** Paths the hook got (relative to the source), with how many calls named each, once every written one is covered. */
    static Map<String, Integer> awaitHooked(Path dir, Set<String> written) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Map<String, Integer> seen = new HashMap<>();
        long covered = 0;
        while (System.nanoTime() < deadline) {
            seen.clear();
            try (var files = Files.list(dir)) {
                for (Path p : files.filter(f -> f.toString().endsWith(".paths")).toList()) {
                    String all = new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
                    for (String path : all.split("\0")) if (!path.isEmpty()) seen.merge(path, 1, Integer::sum);
                }
            }
            covered = written.stream().filter(w -> seen.containsKey(w) || seen.keySet().stream()
                    .anyMatch(p -> p.endsWith("/") && w.startsWith(p))).count();
            if (covered == written.size()) return seen;
            Thread.sleep(100);
        }
        throw new AssertionError("the hook got " + covered + " of " + written.size() + " paths: " + seen.keySet());
    }

    static String scrape(int port) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        return r.body();
    }

    static String awaitMetrics(int port, String line) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String body = "";
        while (System.nanoTime() < deadline) {
            body = scrape(port);
            if (body.contains(line + "\n")) return body;
            Thread.sleep(100);
        }
        throw new AssertionError("no '" + line + "' in " + body);
    }

    static double value(String text, String sample) {
        return text.lines().filter(l -> l.startsWith(sample + " ")).map(l -> Double.parseDouble(l.substring(sample.length() + 1)))
                .findFirst().orElseThrow(() -> new AssertionError("no " + sample + " in " + text));
    }

}
