package io.replagent.watch;

import io.replagent.state.Watch;
import io.replagent.tree.Change;
import io.replagent.tree.RawNames;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The inotify backend's logic without the kernel: the table of watches (descriptor to directory) and the translation
 * of raw events into changes. Every directory that is not excluded gets a watch; a new directory gets its watch
 * first and is then scanned for subdirectories, and is reported as created as a whole, so files written into it
 * before its watch existed are still replicated. Moves are paired by cookie; an overflow is reported (the caller
 * resyncs) and the tree is walked again for directories whose creation was lost. The kernel sits behind
 * {@link Kernel}, so tests feed synthetic {@link RawEvent}s against a tree in memory.
 */
final class InotifyTree {

    /** What the tree needs of the kernel; paths relative to the root. */
    interface Kernel {
        /** @return the watch descriptor, or -1 when the directory is gone; {@link WatchLimitException} at the limit */
        int addWatch(String dir) throws IOException;

        void removeWatch(int wd);

        List<Dirs.Entry> list(String dir);
    }

    static final long MOVE_HOLD_MILLIS = 50;

    private final Kernel kernel;
    private final Excludes excludes;
    private final Report report;
    private final String displayRoot;
    private final Map<Integer, String> pathOfWd = new HashMap<>();
    private final TreeMap<String, Integer> wdOfPath = new TreeMap<>();
    private final MovePairer moves = new MovePairer(MOVE_HOLD_MILLIS);
    private int rootWd = -1;

    InotifyTree(Kernel kernel, Excludes excludes, Report report, String displayRoot) {
        this.kernel = kernel;
        this.excludes = excludes;
        this.report = report;
        this.displayRoot = displayRoot;
    }

    int watched() {
        return pathOfWd.size();
    }

    /** The root's own events, for the message when the root is lost: they say what happened to it. */
    RootCheck.Hint hint(List<RawEvent> batch) {
        RootCheck.Hint hint = RootCheck.Hint.NONE;
        for (RawEvent e : batch) {
            if (e.wd() != rootWd) continue;
            if (e.is(RawEvent.IN_UNMOUNT)) return RootCheck.Hint.UNMOUNTED;
            if (e.is(RawEvent.IN_DELETE_SELF)) hint = RootCheck.Hint.DELETED;
            else if (e.is(RawEvent.IN_MOVE_SELF) && hint == RootCheck.Hint.NONE) hint = RootCheck.Hint.MOVED;
        }
        return hint;
    }

    /**
     * Reports one event.
     *
     * @return null, or why the root is lost: the kernel dropped its watch (deleted or unmounted under us); the
     *         caller stops reporting at once
     */
    String handle(RawEvent e, long nowMillis) throws IOException {
        if (e.is(RawEvent.IN_Q_OVERFLOW)) {
            report.overflow();
            addTree("");
            return null;
        }
        String dir = pathOfWd.get(e.wd());
        if (dir == null) return null;
        if (e.wd() == rootWd && (e.is(RawEvent.IN_IGNORED) || e.is(RawEvent.IN_DELETE_SELF) || e.is(RawEvent.IN_UNMOUNT))) {
            return "the kernel dropped the watch of source " + displayRoot
                    + (e.is(RawEvent.IN_UNMOUNT) ? " (unmounted)" : e.is(RawEvent.IN_DELETE_SELF) ? " (deleted)" : "");
        }
        if (e.is(RawEvent.IN_IGNORED)) {
            forget(e.wd());
            return null;
        }
        if (e.name().isEmpty()) return null; // DELETE_SELF / MOVE_SELF of a subdirectory: its parent's events tell the story
        String path = RawNames.join(dir, e.name());
        boolean isDir = e.isDir();
        boolean excluded = excludes.excluded(path, isDir);
        if (e.is(RawEvent.IN_MOVED_TO)) {
            MovePairer.From from = moves.movedTo(e.cookie());
            if (excluded) {
                if (from != null) movedOut(from);
            } else if (from == null) {
                created(path, isDir);
            } else if (isDir) {
                renameWatches(from.path(), path);
                report.movedDirectory(from.path(), path);
            } else {
                report.movedFile(from.path(), path);
            }
            return null;
        }
        if (excluded) return null;
        if (e.is(RawEvent.IN_MOVED_FROM)) {
            moves.movedFrom(e.cookie(), path, isDir, nowMillis);
        } else if (e.is(RawEvent.IN_CREATE)) {
            created(path, isDir);
        } else if (e.is(RawEvent.IN_DELETE)) {
            report.change(path, Change.DELETED, isDir, Watch.Event.DELETE);
        } else if (e.is(RawEvent.IN_CLOSE_WRITE)) {
            report.change(path, Change.MODIFIED, isDir, Watch.Event.CLOSE_WRITE);
        } else if (e.is(RawEvent.IN_MODIFY)) {
            report.change(path, Change.MODIFIED, isDir, Watch.Event.MODIFY);
        } else if (e.is(RawEvent.IN_ATTRIB)) {
            report.change(path, Change.MODIFIED, isDir, Watch.Event.ATTRIB);
        }
        return null;
    }

    /** Reports the moves out of the tree: MOVED_FROMs held past the hold time (all of them when flushing). */
    void expire(long nowMillis, boolean flush) {
        for (MovePairer.From out : moves.expired(nowMillis, flush)) movedOut(out);
    }

    /** Milliseconds until a held MOVED_FROM is due, or -1. */
    long nextDeadline(long nowMillis) {
        return moves.nextDeadline(nowMillis);
    }

    private void created(String path, boolean dir) throws IOException {
        if (dir) {
            try {
                addTree(path);
            } finally {
                report.created(path, true); // sent as a whole: covers files the watch was too late for
            }
        } else {
            report.created(path, false);
        }
    }

    private void movedOut(MovePairer.From from) {
        if (from.dir()) removeWatches(from.path());
        report.change(from.path(), Change.DELETED, from.dir(), Watch.Event.MOVE);
    }

    /** Adds watches to a directory and every directory below it that is not excluded: watch first, then scan. */
    void addTree(String top) throws IOException {
        Deque<String> todo = new ArrayDeque<>();
        todo.push(top);
        while (!todo.isEmpty()) {
            String dir = todo.pop();
            int wd;
            try {
                wd = kernel.addWatch(dir);
            } catch (WatchLimitException e) {
                throw WatchLimitException.watches(displayRoot, countDirectories());
            }
            if (wd < 0) continue;
            if (dir.isEmpty()) rootWd = wd;
            String old = pathOfWd.put(wd, dir);
            if (old != null && !old.equals(dir)) wdOfPath.remove(old);
            wdOfPath.put(dir, wd);
            for (Dirs.Entry entry : kernel.list(dir)) {
                String child = RawNames.join(dir, entry.name());
                if (entry.dir() && !excludes.excluded(child, true)) todo.push(child);
            }
        }
    }

    private void renameWatches(String from, String to) {
        Map<String, Integer> moved = new HashMap<>(subtree(from));
        moved.keySet().forEach(wdOfPath::remove);
        moved.forEach((path, wd) -> {
            String renamed = to + path.substring(from.length());
            wdOfPath.put(renamed, wd);
            pathOfWd.put(wd, renamed);
        });
    }

    private void removeWatches(String top) {
        for (int wd : new ArrayList<>(subtree(top).values())) {
            kernel.removeWatch(wd);
            forget(wd);
        }
    }

    private Map<String, Integer> subtree(String top) {
        Map<String, Integer> out = new HashMap<>(wdOfPath.subMap(top + "/", top + "0"));
        Integer self = wdOfPath.get(top);
        if (self != null) out.put(top, self);
        return out;
    }

    private void forget(int wd) {
        String path = pathOfWd.remove(wd);
        if (path != null && Integer.valueOf(wd).equals(wdOfPath.get(path))) wdOfPath.remove(path);
    }

    /** How many watches the tree needs: its directories that are not excluded. */
    private long countDirectories() {
        long count = 0;
        Deque<String> todo = new ArrayDeque<>();
        todo.push("");
        while (!todo.isEmpty()) {
            String dir = todo.pop();
            count++;
            for (Dirs.Entry entry : kernel.list(dir)) {
                String child = RawNames.join(dir, entry.name());
                if (entry.dir() && !excludes.excluded(child, true)) todo.push(child);
            }
        }
        return count;
    }
}
