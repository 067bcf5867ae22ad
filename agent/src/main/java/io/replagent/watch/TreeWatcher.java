package io.replagent.watch;

import io.replagent.tree.Change;
import io.replagent.tree.RawNames;
import io.replagent.state.Watch;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Recursive inotify watch of one source tree. Every directory that is not excluded gets a watch; a new directory
 * gets its watch first and is then scanned for subdirectories, and is reported as created as a whole, so files
 * written into it before its watch existed are still replicated. Moves are paired by cookie; a queue overflow is
 * reported (the caller resyncs) and the tree is re-walked for directories whose creation was lost.
 */
public final class TreeWatcher implements AutoCloseable {

    /** Called on the watcher's thread: keep it quick. Paths are raw (see {@link RawNames}), relative to the root. */
    public interface Listener {
        void changed(String path, Change change, boolean dir);

        /** A directory moved within the tree (its old path is gone, its new one has the same contents). */
        void movedDirectory(String from, String to);

        /** The kernel dropped events: only a full sync of the tree is sure to catch up. */
        void overflow();

        /**
         * The watched root itself is gone or is no longer the directory the watch started on (deleted, moved away,
         * replaced by another directory, unmounted, or missing at start). From now until {@link #rootBack()} nothing
         * is reported, and nothing already reported may be resolved against whatever now sits at the path.
         *
         * @param why one line for the operator, naming the path and what happened to it
         */
        void rootLost(String why);

        /**
         * A directory is at the root's path again and is watched from scratch; what it holds is unknown to the
         * targets, so only a (guarded) full sync can bring them level.
         */
        void rootBack();

        /**
         * The watcher hit an error: a {@link WatchLimitException} when a new directory could not be watched (the
         * rest of the tree stays watched), anything else when it stopped.
         */
        void failed(Exception error);
    }

    private static final long MOVE_HOLD_MILLIS = 50;

    private final String root;
    private final Excludes excludes;
    private final Set<Watch.Event> events;
    private final Listener listener;
    private final int mask;
    private final Inotify inotify;
    private final Map<Integer, String> pathOfWd = new HashMap<>();
    private final TreeMap<String, Integer> wdOfPath = new TreeMap<>();
    private final MovePairer moves = new MovePairer(MOVE_HOLD_MILLIS);
    private volatile int watched;
    private volatile boolean stopping;
    private Thread thread;

    public TreeWatcher(Path source, List<String> exclude, Set<Watch.Event> events, Listener listener) throws IOException {
        this.root = RawNames.of(source.toAbsolutePath().normalize());
        this.excludes = new Excludes(exclude);
        this.events = events.isEmpty() ? EnumSet.allOf(Watch.Event.class) : EnumSet.copyOf(events);
        this.listener = listener;
        int m = RawEvent.IN_CREATE | RawEvent.IN_DELETE | RawEvent.IN_MOVED_FROM | RawEvent.IN_MOVED_TO
                | RawEvent.IN_ONLYDIR | RawEvent.IN_DONT_FOLLOW | RawEvent.IN_EXCL_UNLINK;
        if (this.events.contains(Watch.Event.CLOSE_WRITE)) m |= RawEvent.IN_CLOSE_WRITE;
        if (this.events.contains(Watch.Event.MODIFY)) m |= RawEvent.IN_MODIFY;
        if (this.events.contains(Watch.Event.ATTRIB)) m |= RawEvent.IN_ATTRIB;
        this.mask = m;
        this.inotify = new Inotify();
    }

    /** Watches the whole tree (synchronously, so a limit error surfaces here), then reads events on a thread. */
    public void start(String threadName) throws IOException {
        try {
            addTree("");
        } catch (IOException e) {
            inotify.close();
            throw e;
        }
        thread = new Thread(this::loop, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    public int watchedDirectories() {
        return watched;
    }

    @Override public void close() {
        stopping = true;
        inotify.wake();
        if (thread != null) {
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        inotify.close();
    }

    private void loop() {
        try {
            while (!stopping) {
                long now = System.nanoTime() / 1_000_000;
                long wait = moves.nextDeadline(now);
                List<RawEvent> batch = inotify.read((int) Math.min(wait, Integer.MAX_VALUE));
                if (stopping) break;
                for (RawEvent e : batch) {
                    try {
                        handle(e);
                    } catch (WatchLimitException limit) {
                        listener.failed(limit); // not fatal: the rest of the tree stays watched
                    }
                }
                for (MovePairer.From out : moves.expired(System.nanoTime() / 1_000_000, false)) movedOut(out);
            }
            for (MovePairer.From out : moves.expired(0, true)) movedOut(out);
        } catch (Exception e) {
            if (!stopping) listener.failed(e);
        }
    }

    private void handle(RawEvent e) throws IOException {
        if (e.is(RawEvent.IN_Q_OVERFLOW)) {
            listener.overflow();
            addTree("");
            return;
        }
        String dir = pathOfWd.get(e.wd());
        if (dir == null) return;
        if (e.is(RawEvent.IN_IGNORED)) {
            forget(e.wd());
            return;
        }
        if (e.name().isEmpty()) return; // DELETE_SELF / MOVE_SELF: the parent's events tell the story
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
                listener.movedDirectory(from.path(), path);
            } else {
                report(from.path(), Change.DELETED, false, Watch.Event.MOVE);
                report(path, Change.CREATED, false, Watch.Event.MOVE);
            }
            return;
        }
        if (excluded) return;
        if (e.is(RawEvent.IN_MOVED_FROM)) {
            moves.movedFrom(e.cookie(), path, isDir, System.nanoTime() / 1_000_000);
        } else if (e.is(RawEvent.IN_CREATE)) {
            created(path, isDir);
        } else if (e.is(RawEvent.IN_DELETE)) {
            report(path, Change.DELETED, isDir, Watch.Event.DELETE);
        } else if (e.is(RawEvent.IN_CLOSE_WRITE)) {
            report(path, Change.MODIFIED, isDir, Watch.Event.CLOSE_WRITE);
        } else if (e.is(RawEvent.IN_MODIFY)) {
            report(path, Change.MODIFIED, isDir, Watch.Event.MODIFY);
        } else if (e.is(RawEvent.IN_ATTRIB)) {
            report(path, Change.MODIFIED, isDir, Watch.Event.ATTRIB);
        }
    }

    private void created(String path, boolean dir) throws IOException {
        if (dir) {
            try {
                addTree(path);
            } finally {
                listener.changed(path, Change.CREATED, true); // sent as a whole: covers files the watch was too late for
            }
        } else {
            report(path, Change.CREATED, false, Watch.Event.CREATE);
        }
    }

    private void movedOut(MovePairer.From from) {
        if (from.dir()) removeWatches(from.path());
        report(from.path(), Change.DELETED, from.dir(), Watch.Event.MOVE);
    }

    private void report(String path, Change change, boolean dir, Watch.Event kind) {
        if (events.contains(kind)) listener.changed(path, change, dir);
    }

    /** Adds watches to a directory and every directory below it that is not excluded: watch first, then scan. */
    private void addTree(String top) throws IOException {
        Deque<String> todo = new ArrayDeque<>();
        todo.push(top);
        while (!todo.isEmpty()) {
            String dir = todo.pop();
            int wd;
            try {
                wd = inotify.addWatch(absolute(dir), mask);
            } catch (WatchLimitException e) {
                throw WatchLimitException.watches(RawNames.display(root), countDirectories());
            }
            if (wd < 0) continue;
            String old = pathOfWd.put(wd, dir);
            if (old != null && !old.equals(dir)) wdOfPath.remove(old);
            wdOfPath.put(dir, wd);
            for (Dirs.Entry entry : Dirs.list(absolute(dir))) {
                String child = RawNames.join(dir, entry.name());
                if (entry.dir() && !excludes.excluded(child, true)) todo.push(child);
            }
        }
        watched = pathOfWd.size();
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
            inotify.removeWatch(wd);
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
        watched = pathOfWd.size();
    }

    private String absolute(String dir) {
        return dir.isEmpty() ? root : root + "/" + dir;
    }

    /** How many watches the tree needs: its directories that are not excluded. */
    private long countDirectories() {
        long count = 0;
        Deque<String> todo = new ArrayDeque<>();
        todo.push("");
        while (!todo.isEmpty()) {
            String dir = todo.pop();
            count++;
            for (Dirs.Entry entry : Dirs.list(absolute(dir))) {
                String child = RawNames.join(dir, entry.name());
                if (entry.dir() && !excludes.excluded(child, true)) todo.push(child);
            }
        }
        return count;
    }
}
