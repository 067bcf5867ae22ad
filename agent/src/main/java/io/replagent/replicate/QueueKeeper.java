package io.replagent.replicate;

import java.io.IOException;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Keeps one target's undelivered queue on disk, so a {@code kill -9} loses nothing: saved after a batch that did not
 * deliver everything, while work waits on a target that is not delivering (paused, retrying), and when the pipeline
 * finishes; restored at start. The state is read and booked under the pipeline's lock, the file written outside it.
 */
final class QueueKeeper {

    private final QueueFile file;
    private final TargetState state;
    private final Object lock;
    private final LongSupplier nanos;
    private final Consumer<String> error;

    /** @param file null: this target keeps no queue file; {@code error}: logs why a save failed */
    QueueKeeper(QueueFile file, TargetState state, Object lock, LongSupplier nanos, Consumer<String> error) {
        this.file = file;
        this.state = state;
        this.lock = lock;
        this.nanos = nanos;
        this.error = error;
    }

    QueueFile file() {
        return file;
    }

    /** Puts back what a previous run left in {@code from}; what it was (empty: nothing). */
    DirtyTree.Batch restore(QueueFile from) throws IOException {
        DirtyTree.Batch saved = from.load();
        if (saved.isEmpty()) return saved;
        synchronized (lock) {
            state.pending.requeue(saved, nanos.getAsLong());
            state.queueChanged = true;
            lock.notifyAll();
        }
        return saved;
    }

    /** Saves when marks changed while the target is paused or waiting for a retry. */
    void saveIfWaiting() {
        boolean due;
        synchronized (lock) {
            due = state.queueChanged && (state.pauses.paused() || state.retryAtNanos > nanos.getAsLong());
        }
        if (due) save();
    }

    /** After a batch: saves when it left work undelivered, or to clear a file a previous save left. */
    void afterBatch(RsyncExit worst) {
        if (worst != RsyncExit.OK || state.queueOnDisk) save();
    }

    void save() {
        if (file == null) return;
        DirtyTree.Batch snapshot;
        synchronized (lock) {
            snapshot = state.queueSnapshot();
        }
        String why = file.saveOrWhy(snapshot);
        synchronized (lock) {
            state.saved(snapshot, why);
        }
        if (why != null) error.accept(why);
    }
}
