package io.replagent.metrics;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.replagent.replicate.ReplicationStatus;
import io.replagent.state.Listen;
import io.replagent.state.Settings;
import io.replagent.system.AtomicFile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The agent's Prometheus metrics: {@code /metrics} served with the client library's scrape handler on the configured
 * address, and/or a textfile for node_exporter rewritten atomically on an interval. Everything is read from the
 * {@link Source} at scrape time.
 * <pre>
 *   try (MetricsExporter m = MetricsExporter.start(settings.metrics().get(), source, version, log::warn)) { … }
 * </pre>
 */
public final class MetricsExporter implements AutoCloseable {

    /** What the metrics are read from: the running agent. */
    public interface Source {
        /** The status snapshot (the status file's content). */
        ReplicationStatus status();

        /** Subscribes to the activity stream (one call per rsync, refused batch, overflow) until closed. */
        AutoCloseable onActivity(Consumer<ReplicationStatus.Activity> listener);

        /** The kernel's fs.inotify.max_user_watches, when it can be read. */
        OptionalLong maxUserWatches();

        /** Batch hooks called so far. */
        List<HookCalls> hookCalls();
    }

    /** How often one watch's hook of one kind ended with one result. */
    public record HookCalls(String watch, String hook, String result, long count) {}

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final AutoCloseable subscription;
    private final MetricsHttp server;
    private final ScheduledExecutorService textfileWriter;
    private Path textfile;
    private Consumer<String> warn;

    private MetricsExporter(Settings.Metrics config, Source source, String version, Consumer<String> warn) throws IOException {
        ActivityCounts counts = new ActivityCounts();
        subscription = source.onActivity(counts);
        registry.register(new AgentCollector(source, counts, version));
        MetricsHttp started = null;
        ScheduledExecutorService writer = null;
        try {
            if (config.listen().isPresent()) started = serve(config.listen().get());
            if (config.textfile().isPresent()) writer = writeEvery(config.textfile().get(), config.interval().toMillis(), warn);
        } catch (IOException | RuntimeException e) {
            if (started != null) started.close();
            closeQuietly(subscription);
            throw e;
        }
        server = started;
        textfileWriter = writer;
    }

    /**
     * Starts serving and/or writing.
     *
     * @param warn where a failed textfile write is reported (the next interval tries again)
     * @throws IOException when the address cannot be bound (in use, not on this host); the message names it
     */
    public static MetricsExporter start(Settings.Metrics config, Source source, String version, Consumer<String> warn)
            throws IOException {
        return new MetricsExporter(config, source, version, warn);
    }

    /** The port /metrics is served on (the one asked for, or the one given for port 0), -1 when not serving. */
    public int port() {
        return server == null ? -1 : server.port();
    }

    /** The exposition text of the metrics now: what /metrics answers and the textfile holds. */
    public String text() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PrometheusTextFormatWriter.create().write(out, registry.scrape(), EscapingScheme.ALLOW_UTF8);
        } catch (IOException e) {
            throw new IllegalStateException(e); // a byte array does not fail
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    private MetricsHttp serve(Listen listen) throws IOException {
        try {
            return new MetricsHttp(new InetSocketAddress(InetAddress.getByName(listen.host()), listen.port()), registry);
        } catch (IOException e) {
            throw new IOException("metrics: cannot listen on " + listen + ": " + e.getMessage(), e);
        }
    }

    private ScheduledExecutorService writeEvery(Path file, long millis, Consumer<String> warn) throws IOException {
        this.textfile = file;
        this.warn = warn;
        writeTextfile(file); // the first write fails start-up: a path the agent cannot write is a state error
        ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "metrics-textfile");
            t.setDaemon(true);
            return t;
        });
        writer.scheduleWithFixedDelay(() -> {
            try {
                writeTextfile(file);
            } catch (IOException | RuntimeException e) {
                warn.accept("metrics: cannot write " + file + ": " + e.getMessage());
            }
        }, millis, millis, TimeUnit.MILLISECONDS);
        return writer;
    }

    private void writeTextfile(Path file) throws IOException {
        AtomicFile.write(file, text().getBytes(java.nio.charset.StandardCharsets.UTF_8), 0644);
    }

    /** Stops serving; the textfile is written a last time (node_exporter then shows the stopped state and its age). */
    @Override public void close() {
        if (server != null) server.close();
        if (textfileWriter != null) {
            // a write under way finishes first: interrupted, its channel would close mid-write (and warn), and it would
            // race the last write for the same temp file
            textfileWriter.shutdown();
            try {
                if (!textfileWriter.awaitTermination(5, TimeUnit.SECONDS)) textfileWriter.shutdownNow();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try {
                writeTextfile(textfile);
            } catch (IOException e) {
                warn.accept("metrics: cannot write " + textfile + ": " + e.getMessage());
            }
        }
        closeQuietly(subscription);
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // an unsubscription does not fail
        }
    }
}
