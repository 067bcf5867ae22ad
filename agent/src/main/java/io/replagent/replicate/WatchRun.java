package io.replagent.replicate;

import io.replagent.system.Log;
import io.replagent.state.Watch;
import io.replagent.tree.Change;
import io.replagent.watch.Watcher;
import io.replagent.watch.WatchLimitException;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** One watch: its watcher (once started), its targets' pipelines, its counters; what the watcher tells it. */
final class WatchRun implements Watcher.Listener {

    /** Replaced by a reload that retunes the watch; the list is swapped while the watcher calls in. */
    volatile Watch watch;
    final List<TargetPipeline> targets = new CopyOnWriteArrayList<>();
    final AtomicLong events = new AtomicLong();
    final AtomicLong overflows = new AtomicLong();
    private final Log log;
    private final ActivityLog activity;
    volatile String error;
    Watcher watcher;

    WatchRun(Watch watch, Log log, ActivityLog activity) {
        this.watch = watch;
        this.log = log;
        this.activity = activity;
    }

    @Override public void changed(String path, Change change, boolean dir) {
        events.incrementAndGet();
        for (TargetPipeline t : targets) t.mark(path, change, dir);
    }

    @Override public void movedDirectory(String from, String to) {
        events.incrementAndGet();
        for (TargetPipeline t : targets) t.moved(from, to);
    }

    @Override public void movedFile(String from, String to) {
        events.incrementAndGet();
        for (TargetPipeline t : targets) t.movedFile(from, to);
    }

    @Override public void overflow() {
        overflows.incrementAndGet();
        String what = watcher != null && watcher.backend().equals("fanotify") ? "fanotify queue overflow"
                : "inotify queue overflow (fs.inotify.max_queued_events)";
        log.warn("watch " + watch.name() + ": " + what + ", full sync");
        activity.record(watch.name(), null, "overflow", -1, what + ": full sync");
        for (TargetPipeline t : targets) t.fullSync(false);
    }

    /** Every target pauses (source_lost): pushing now would send, and delete, against whatever is at the path. */
    @Override public void rootLost(String why) {
        error = why;
        log.error("watch " + watch.name() + ": " + why);
        for (TargetPipeline t : targets) t.sourceLost(why);
    }

    /** The pause ends with a full sync that the delete guard (at least the default one) holds if it would wipe. */
    @Override public void rootBack() {
        error = null;
        log.info("watch " + watch.name() + ": the source is back: a guarded full sync");
        for (TargetPipeline t : targets) t.sourceBack();
    }

    @Override public void failed(Exception e) {
        error = e instanceof WatchLimitException ? e.getMessage() : "watcher stopped: " + e.getMessage();
        log.error("watch " + watch.name() + ": " + error);
    }
}
