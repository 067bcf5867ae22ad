package io.replagent.watch;

import io.replagent.state.Watch;
import io.replagent.tree.Change;

import java.util.EnumSet;
import java.util.Set;

/**
 * The listener behind the watch's event filter: both backends report through it, so they filter alike.
 * A new directory and a moved one are always reported: the tree's shape is not an optional event.
 */
final class Report {

    private final Set<Watch.Event> events;
    private final Watcher.Listener listener;

    Report(Set<Watch.Event> events, Watcher.Listener listener) {
        this.events = events.isEmpty() ? EnumSet.allOf(Watch.Event.class) : EnumSet.copyOf(events);
        this.listener = listener;
    }

    boolean wants(Watch.Event kind) {
        return events.contains(kind);
    }

    void change(String path, Change change, boolean dir, Watch.Event kind) {
        if (events.contains(kind)) listener.changed(path, change, dir);
    }

    /** A file (reported as the CREATE event) or a directory (always, as a whole: it may be filled already). */
    void created(String path, boolean dir) {
        if (dir) listener.changed(path, Change.CREATED, true);
        else change(path, Change.CREATED, false, Watch.Event.CREATE);
    }

    /** A file moved within the tree, as one pair: the replication reuses the target's copy of its old name. */
    void movedFile(String from, String to) {
        if (events.contains(Watch.Event.MOVE)) listener.movedFile(from, to);
    }

    void movedDirectory(String from, String to) {
        listener.movedDirectory(from, to);
    }

    void overflow() {
        listener.overflow();
    }

    void failed(Exception e) {
        listener.failed(e);
    }
}
