package io.replagent.metrics;

import static io.replagent.testing.Statuses.idle;
import static io.replagent.testing.Statuses.target;
import static io.replagent.testing.Statuses.watch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.replagent.state.Listen;
import io.replagent.state.Settings;
import io.replagent.testing.Ports;
import io.replagent.testing.Statuses;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The library's HTTP server on loopback, the textfile, and promtool (Debian's prometheus package) on the output. */
@Tag("e2e")
public class MetricsExporterTest {

    static final Instant T = Instant.parse("2026-12-01T11:59:00Z");

    static FakeSource busySource() {
        return new FakeSource(Statuses.of(watch("data", 120, 5000, 2, null,
                target("backup", "syncing", null, 42, 17.5, T, 7, 3, 1_048_576, 12, 9), idle("offsite", T))));
    }

    static HttpResponse<String> get(int port, String accept) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(10));
        if (accept != null) request.header("Accept", accept);
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void slashMetricsServesTheFiguresOfTheMomentOfTheScrape() throws Exception {
        FakeSource source = busySource();
        int port = Ports.free();
        try (MetricsExporter m = MetricsExporter.start(new Settings.Metrics(Optional.of(new Listen("127.0.0.1", port)),
                Optional.empty(), Duration.ofSeconds(15)), source, "1.2.3", w -> {})) {
            assertEquals(port, m.port());
            HttpResponse<String> first = get(port, null);
            assertEquals(200, first.statusCode());
            assertTrue(first.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"), first.headers().toString());
            assertTrue(first.body().contains("agent_target_queued_paths{target=\"backup\",watch=\"data\"} 42.0\n"), first.body());
            source.status = Statuses.of(watch("data", 120, 5000, 2, null, idle("backup", T), idle("offsite", T)));
            // what a Prometheus server with native histograms asks for first: the protobuf format is not shipped
            HttpResponse<String> second = get(port, "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;"
                    + "encoding=delimited;q=0.7,text/plain;version=0.0.4;q=0.3,*/*;q=0.1");
            assertEquals(200, second.statusCode());
            assertTrue(second.body().contains("agent_target_queued_paths{target=\"backup\",watch=\"data\"} 0.0\n"), second.body());
            assertEquals(List.of(), promtool(second.body()), "promtool check metrics");
        }
        assertThrows(IOException.class, () -> get(port, null), "closed: nothing listens any more");
    }

    @Test
    void anAddressInUseIsAnErrorThatNamesIt() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Listen listen = new Listen("127.0.0.1", taken.getLocalPort());
            IOException e = assertThrows(IOException.class, () -> MetricsExporter.start(new Settings.Metrics(
                    Optional.of(listen), Optional.empty(), Duration.ofSeconds(15)), busySource(), "1", w -> {}));
            assertTrue(e.getMessage().startsWith("metrics: cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": "),
                    e.getMessage());
        }
    }

    @Test
    void theTextfileIsRewrittenOnItsIntervalAndALastTimeAtClose(@TempDir Path dir) throws Exception {
        FakeSource source = busySource();
        Path file = dir.resolve("node").resolve("agent.prom");
        List<String> warnings = new ArrayList<>();
        try (MetricsExporter m = MetricsExporter.start(new Settings.Metrics(Optional.empty(), Optional.of(file),
                Duration.ofMillis(50)), source, "1.2.3", warnings::add)) {
            assertEquals(-1, m.port());
            String first = Files.readString(file);
            assertTrue(first.contains("agent_target_queued_paths{target=\"backup\",watch=\"data\"} 42.0\n"), first);
            assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            source.status = Statuses.of(watch("data", 120, 5000, 2, null, idle("backup", T)));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (Files.readString(file).contains("42.0") && System.nanoTime() < deadline) Thread.sleep(20);
            assertTrue(Files.readString(file).contains("agent_target_queued_paths{target=\"backup\",watch=\"data\"} 0.0\n"));
            assertEquals(List.of(), promtool(Files.readString(file)), "promtool check metrics");
            source.status = Statuses.of(watch("data", 120, 5000, 2, null, target("backup", "stopped", null, 0, 0, T, 0, 0, 0, 0, 1)));
        }
        assertTrue(Files.readString(file).contains("agent_target_state{state=\"stopped\",target=\"backup\",watch=\"data\"} 1.0"));
        try (var files = Files.list(file.getParent())) {
            assertEquals(List.of(file), files.toList(), "no temp file left for node_exporter to read");
        }
        assertEquals(List.of(), warnings);
    }

    @Test
    void closingWhileAWriteIsUnderWayLetsItFinishWithoutAWarning(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("agent.prom");
        List<String> warnings = new ArrayList<>();
        for (int i = 0; i < 100; i++) { // a 1 ms interval: a write is often under way when close comes
            MetricsExporter.start(new Settings.Metrics(Optional.empty(), Optional.of(file), Duration.ofMillis(1)), busySource(),
                    "1", warnings::add).close();
        }
        assertEquals(List.of(), warnings);
        try (var files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "no temp file left");
        }
    }

    /** promtool's complaints about exposition text; empty when it passes. */
    public static List<String> promtool(String text) throws Exception {
        Process p = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
        p.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return p.exitValue() == 0 && out.isBlank() ? List.of() : out.lines().toList();
    }
}
