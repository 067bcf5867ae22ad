package io.replagent.cli;

import io.replagent.hook.BatchHooks;
import io.replagent.metrics.MetricsExporter;
import io.replagent.replicate.Replication;
import io.replagent.replicate.ReplicationStatus;
import io.replagent.service.ServiceNotifier;
import io.replagent.state.State;
import io.replagent.state.Target;
import io.replagent.state.Watch;
import io.replagent.system.Log;
import io.replagent.system.Processes;
import io.replagent.system.Sysctl;

import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What runs beside the replication of {@code agent apply}: the on_batch hooks, the Prometheus metrics, the systemd
 * notifications. Started before the replication (so no initial sync's outcome is missed), told when it has started,
 * when it stops, and of a reload.
 */
final class Services implements AutoCloseable {

    private final BatchHooks hooks;
    private final AutoCloseable deliveries;
    private final MetricsExporter metrics;
    private final Optional<ServiceNotifier> notifier;

    private Services(BatchHooks hooks, AutoCloseable deliveries, MetricsExporter metrics, Optional<ServiceNotifier> notifier) {
        this.hooks = hooks;
        this.deliveries = deliveries;
        this.metrics = metrics;
        this.notifier = notifier;
    }

    /** @throws IOException when the metrics cannot listen or write their file, or $NOTIFY_SOCKET is unusable */
    static Services start(State state, Replication replication, Map<String, String> env, Log log) throws IOException {
        BatchHooks hooks = BatchHooks.start(state.watches(), new Processes(), log::warn);
        AutoCloseable deliveries = replication.onDelivered(hooks::delivered);
        MetricsExporter metrics = null;
        try {
            if (state.settings().metrics().isPresent()) {
                metrics = MetricsExporter.start(state.settings().metrics().get(), metricsSource(replication, hooks),
                        VersionCommand.version(), log::warn);
                state.settings().metrics().get().listen().ifPresent(l -> log.info("metrics: http://" + l + "/metrics"
                        + (l.external() ? " (reachable from other hosts)" : "")));
            }
            Optional<ServiceNotifier> notifier = ServiceNotifier.start(env, notifierSource(replication), initialSyncs(state),
                    log::warn);
            return new Services(hooks, deliveries, metrics, notifier);
        } catch (IOException | RuntimeException e) {
            if (metrics != null) metrics.close();
            closeQuietly(deliveries);
            hooks.close();
            throw e;
        }
    }

    /** Every watch is set up: READY=1 follows the initial syncs. */
    void started() {
        notifier.ifPresent(ServiceNotifier::started);
    }

    /** SIGTERM: STOPPING=1 before the replication stops. */
    void stopping() {
        notifier.ifPresent(ServiceNotifier::stopping);
    }

    /** A reload was applied: the hooks of the new state. */
    void reloaded(State state) {
        hooks.retune(state.watches());
    }

    @Override public void close() {
        notifier.ifPresent(ServiceNotifier::close);
        if (metrics != null) metrics.close();
        closeQuietly(deliveries);
        hooks.close();
    }

    /** "watch/target" of each target whose watch does an initial sync: READY waits for their first outcome. */
    static Set<String> initialSyncs(State state) {
        Set<String> out = new LinkedHashSet<>();
        for (Watch w : state.watches()) if (w.init()) for (Target t : w.targets()) out.add(w.name() + "/" + t.name());
        return out;
    }

    private static MetricsExporter.Source metricsSource(Replication replication, BatchHooks hooks) {
        Sysctl sysctl = new Sysctl(Sysctl.PROC_SYS);
        return new MetricsExporter.Source() {
            @Override public ReplicationStatus status() {
                return replication.status();
            }

            @Override public AutoCloseable onActivity(Consumer<ReplicationStatus.Activity> listener) {
                return replication.onActivity(listener);
            }

            @Override public OptionalLong maxUserWatches() {
                long limit = sysctl.readOr("fs.inotify.max_user_watches", -1);
                return limit < 0 ? OptionalLong.empty() : OptionalLong.of(limit);
            }

            @Override public List<MetricsExporter.HookCalls> hookCalls() {
                return hooks.counts().stream()
                        .map(c -> new MetricsExporter.HookCalls(c.watch(), c.hook(), c.result(), c.count())).toList();
            }
        };
    }

    private static ServiceNotifier.Source notifierSource(Replication replication) {
        return new ServiceNotifier.Source() {
            @Override public ReplicationStatus status() {
                return replication.status();
            }

            @Override public AutoCloseable onActivity(Consumer<ReplicationStatus.Activity> listener) {
                return replication.onActivity(listener);
            }

            @Override public boolean alive() {
                return replication.alive();
            }
        };
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // an unsubscription does not fail
        }
    }
}
