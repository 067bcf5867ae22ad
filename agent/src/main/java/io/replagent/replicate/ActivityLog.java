package io.replagent.replicate;

import io.replagent.system.Log;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * One log line and one activity per rsync of a batch (or per refused batch, overflow): the last {@code RECENT} are
 * kept for the console's events, and live listeners get each as it happens.
 */
final class ActivityLog {

    private static final int RECENT = 500;

    private final Log log;
    private final Clock clock;
    private final Deque<ReplicationStatus.Activity> recent = new ArrayDeque<>();
    private final List<Consumer<ReplicationStatus.Activity>> listeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<Delivered>> deliveries = new CopyOnWriteArrayList<>();

    ActivityLog(Log log, Clock clock) {
        this.log = log;
        this.clock = clock;
    }

    /** The last {@code max} activities, oldest first. */
    List<ReplicationStatus.Activity> recent(int max) {
        synchronized (recent) {
            List<ReplicationStatus.Activity> all = new ArrayList<>(recent);
            return List.copyOf(all.subList(Math.max(0, all.size() - max), all.size()));
        }
    }

    /** Live: {@code listener} gets every new activity (on replication threads: it must not block) until closed. */
    AutoCloseable subscribe(Consumer<ReplicationStatus.Activity> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Live: {@code listener} gets every batch a target received in full (on replication threads: never block). */
    AutoCloseable onDelivered(Consumer<Delivered> listener) {
        deliveries.add(listener);
        return () -> deliveries.remove(listener);
    }

    void delivered(Delivered d) {
        deliveries.forEach(l -> l.accept(d));
    }

    private void sink(ReplicationStatus.Activity a) {
        synchronized (recent) {
            recent.addLast(a);
            while (recent.size() > RECENT) recent.removeFirst();
        }
        listeners.forEach(l -> l.accept(a));
    }

    void record(String watch, String target, JobPlanner.Job job, RsyncRunner.Result r) {
        int paths = job.delivers().full() ? -1 : job.delivers().entries().size();
        String text = r.exit() == 0 ? null : Settlement.lastLine(r.error());
        String line = String.format("watch %s target %s: %s paths=%s files=%d bytes=%d %.3fs exit=%d%s", watch, target,
                job.kind().label(), paths < 0 ? "all" : String.valueOf(paths), r.files(), r.bytes(), r.seconds(), r.exit(),
                text == null || text.isEmpty() ? "" : " (" + text + ")");
        if (r.exit() == 0 || r.exit() == 24) log.info(line);
        else log.warn(line);
        sink(new ReplicationStatus.Activity(clock.instant(), watch, target, job.kind().label(), paths, r.files(),
                r.bytes(), r.seconds(), r.exit(), text));
    }

    /** Something that ran no rsync (a refused batch, an overflow). */
    void record(String watch, String target, String kind, int paths, String message) {
        sink(new ReplicationStatus.Activity(clock.instant(), watch, target, kind, paths, 0, 0, 0, 0, message));
    }
}
