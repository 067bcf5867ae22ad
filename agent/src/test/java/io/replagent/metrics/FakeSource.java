package io.replagent.metrics;

import io.replagent.replicate.ReplicationStatus;

import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** A source whose status the test sets, and whose activities it emits. */
final class FakeSource implements MetricsExporter.Source {

    volatile ReplicationStatus status;
    volatile List<MetricsExporter.HookCalls> hooks = List.of();
    final List<Consumer<ReplicationStatus.Activity>> listeners = new CopyOnWriteArrayList<>();

    FakeSource(ReplicationStatus status) {
        this.status = status;
    }

    void emit(ReplicationStatus.Activity a) {
        listeners.forEach(l -> l.accept(a));
    }

    @Override public ReplicationStatus status() {
        return status;
    }

    @Override public AutoCloseable onActivity(Consumer<ReplicationStatus.Activity> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override public OptionalLong maxUserWatches() {
        return OptionalLong.of(8192);
    }

    @Override public List<MetricsExporter.HookCalls> hookCalls() {
        return hooks;
    }
}
