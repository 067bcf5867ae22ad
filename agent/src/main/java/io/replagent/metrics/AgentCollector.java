package io.replagent.metrics;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import io.replagent.replicate.ReplicationStatus;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The agent's metrics, built at scrape time from one status snapshot (the one the status file and the console show)
 * and the activity counts: nothing is instrumented on the replication's path, and a removed watch's series go with
 * it. Names and units follow the Prometheus conventions (base units, {@code _total} counters, {@code _seconds}).
 */
final class AgentCollector implements MultiCollector {

    static final String[] STATES = {"idle", "pending", "syncing", "retrying", "paused", "stopped"};
    /** The status's pause_reason values. */
    static final String[] PAUSE_REASONS = {"operator", "error", "mass_delete", "source_lost"};

    private final MetricsExporter.Source source;
    private final ActivityCounts counts;
    private final String version;

    AgentCollector(MetricsExporter.Source source, ActivityCounts counts, String version) {
        this.source = source;
        this.counts = counts;
        this.version = version;
    }

    /** Metric families in a fixed order; each family's samples in the status's order. */
    private static final class Families {
        private final Map<String, Object> builders = new LinkedHashMap<>();

        GaugeSnapshot.Builder gauge(String name, String help, Unit unit) {
            return (GaugeSnapshot.Builder) builders.computeIfAbsent(name, n -> {
                GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(n).help(help);
                return unit == null ? b : b.unit(unit);
            });
        }

        CounterSnapshot.Builder counter(String name, String help, Unit unit) {
            return (CounterSnapshot.Builder) builders.computeIfAbsent(name, n -> {
                CounterSnapshot.Builder b = CounterSnapshot.builder().name(n).help(help);
                return unit == null ? b : b.unit(unit);
            });
        }

        void gauge(String name, String help, Unit unit, Labels labels, double value) {
            gauge(name, help, unit).dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels).value(value).build());
        }

        void counter(String name, String help, Unit unit, Labels labels, double value) {
            counter(name, help, unit).dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(labels).value(value).build());
        }

        MetricSnapshots build() {
            List<MetricSnapshot> out = new ArrayList<>();
            for (Object b : builders.values()) {
                out.add(b instanceof GaugeSnapshot.Builder g ? g.build() : ((CounterSnapshot.Builder) b).build());
            }
            return new MetricSnapshots(out);
        }
    }

    @Override public MetricSnapshots collect() {
        ReplicationStatus status = source.status();
        Families f = new Families();
        f.gauge("agent_info", "The running agent's version.", null, Labels.of("version", version), 1);
        // declared up front, so a family is there (empty) on an agent without watches or targets
        f.gauge("agent_watch_up", "1 while the watch sees changes, 0 while it is in error (source lost, watcher stopped).", null);
        f.gauge("agent_watch_info", "The watch's source and the backend it watches with (inotify, fanotify).", null);
        f.gauge("agent_watch_directories", "Directories under the watch (with inotify: one kernel watch each).", null);
        f.counter("agent_watch_events", "Changes the watch reported since the agent started.", null);
        f.counter("agent_watch_overflows", "Kernel event queue overflows (each one a full sync).", null);
        long directories = 0;
        for (ReplicationStatus.WatchStatus w : status.watches()) {
            Labels watch = Labels.of("watch", w.name());
            if ("inotify".equals(w.backend())) directories += w.watchedDirectories();
            if (w.backend() != null) {
                f.gauge("agent_watch_info", null, null, watch.add("backend", w.backend()).add("source", w.source()), 1);
            }
            f.gauge("agent_watch_up", null, null, watch, w.error() == null ? 1 : 0);
            f.gauge("agent_watch_directories", null, null, watch, w.watchedDirectories());
            f.counter("agent_watch_events", null, null, watch, w.events());
            f.counter("agent_watch_overflows", null, null, watch, w.overflows());
            for (ReplicationStatus.TargetStatus t : w.targets()) target(f, w.name(), t);
        }
        f.gauge("agent_inotify_watches", "inotify watches the agent holds (one per directory of its inotify watches).", null,
                Labels.EMPTY, directories);
        OptionalLong limit = source.maxUserWatches();
        if (limit.isPresent()) {
            f.gauge("agent_inotify_watches_limit", "The kernel's fs.inotify.max_user_watches.", null, Labels.EMPTY, limit.getAsLong());
        }
        f.counter("agent_hook_calls", "Batch hooks called, by result (ok, failed, timeout, dropped: the hook queue was full).", null);
        for (MetricsExporter.HookCalls h : source.hookCalls()) {
            f.counter("agent_hook_calls", null, null, Labels.of("watch", h.watch(), "hook", h.hook(), "result", h.result()), h.count());
        }
        return f.build();
    }

    private void target(Families f, String watch, ReplicationStatus.TargetStatus t) {
        Labels l = Labels.of("watch", watch, "target", t.name());
        f.gauge("agent_target_queued_paths", "Paths waiting to be sent (a pending full sync counts as one).", null, l, t.queueDepth());
        f.gauge("agent_target_oldest_pending_seconds", "Age of the oldest change not yet delivered: the replication lag.",
                Unit.SECONDS, l, t.oldestPendingSeconds());
        if (t.lastSuccess() != null) {
            f.gauge("agent_target_last_success_timestamp_seconds", "When a batch last reached the target in full.",
                    Unit.SECONDS, l, t.lastSuccess().toEpochMilli() / 1000.0);
        }
        f.gauge("agent_target_in_flight_rsyncs", "rsyncs running for the target now.", null, l, t.inFlight());
        f.gauge("agent_target_failed_paths", "Paths in the failure queue (not delivered, retried with backoff).", null, l,
                t.failureCount());
        f.gauge("agent_target_alert", "1 while the target has an alert (see agent status).", null, l, t.alert() == null ? 0 : 1);
        for (String state : STATES) {
            f.gauge("agent_target_state", "1 for the state the target is in.", null, l.add("state", state),
                    state.equals(t.state()) ? 1 : 0);
        }
        for (String reason : PAUSE_REASONS) {
            f.gauge("agent_target_paused", "1 while the target is paused, by why (operator, error, mass_delete, source_lost).",
                    null, l.add("reason", reason), reason.equals(t.pauseReason()) ? 1 : 0);
        }
        f.counter("agent_target_sent_files", "Regular files rsync transferred to the target.", null, l, t.filesSent());
        f.counter("agent_target_sent_bytes", "Bytes rsync sent to the target.", Unit.BYTES, l, t.bytesSent());
        f.counter("agent_target_batches", "Batches sent to the target (each one or more rsyncs).", null, l, t.batches());
        f.counter("agent_target_retries", "Batches retried after a failure.", null, l, t.retries());
        ActivityCounts.Target c = counts.of(watch, t.name());
        f.counter("agent_target_rsync_runs", "rsync runs by exit code (0 and 24 delivered; rsync(1) lists the others).", null);
        for (Map.Entry<Integer, Long> run : c.runs().entrySet()) {
            f.counter("agent_target_rsync_runs", null, null, l.add("exit", String.valueOf(run.getKey())), run.getValue());
        }
        for (String kind : ActivityCounts.FULL_SYNCS) {
            f.counter("agent_target_full_syncs", "Full syncs of the whole tree, initial or later (overflow, periodic, operator).",
                    null, l.add("kind", kind), c.fullSyncs(kind));
        }
        if (t.history() != null && t.history().bytes() >= 0) {
            f.gauge("agent_target_history_bytes", "Size of the versions kept on the target (.agent/history), as last measured.",
                    Unit.BYTES, l, t.history().bytes());
            f.gauge("agent_target_history_versions", "Versions kept on the target, as last measured.", null, l,
                    t.history().versions());
        }
        f.counter("agent_target_refused_batches", "Batches the mass-delete guard refused (the target pauses).", null, l,
                c.refused.sum());
    }
}
