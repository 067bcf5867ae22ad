package io.replagent.watch;

import io.replagent.state.Watch;
import io.replagent.tree.Change;
import io.replagent.tree.RawNames;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fanotify backend's logic without the kernel: events name a directory by handle and an entry in it; the
 * directory's path comes from a bounded cache (handle to path, in the order events arrive) or, on a miss, from the
 * kernel, which says where it is now. Events outside the tree or under an excluded directory end at the cache.
 * One filesystem mark covers every directory, so a new directory needs no watch and is simply reported as created
 * as a whole (as inotify does); a rename carries both its ends, so moves pair without a hold. A directory found
 * elsewhere or excluded is also ignored in the kernel, so a busy filesystem costs one event per such directory,
 * not one per write; when a directory comes into the tree, all of that is forgotten.
 */
final class FanotifyTree {

    /** What the tree needs of the kernel. */
    interface Kernel {
        /**
         * Where a directory is now: its path relative to the root ("" for the root itself), {@link #ELSEWHERE}
         * when it is not under the root, or null when it is gone or cannot be told now (its event is dropped: a
         * directory that went is reported by its parent's event).
         */
        String locate(String dirKey) throws IOException;

        /** What is at a path under the root now: null when nothing, else whether it is a directory. */
        Boolean kindOf(String path);

        /**
         * Asks the kernel to drop the events of this directory and of the files in it before they are queued: it is
         * elsewhere or excluded. Best effort; renames are never dropped (they are how a directory comes in).
         */
        void ignore(String dirKey);

        /** Forgets every {@link #ignore}: a directory came into the tree, and what it or its subdirectories hold too. */
        void unignoreAll();
    }

    /** A path no file name can spell (raw names hold no NUL). */
    static final String ELSEWHERE = "\0";
    static final int CACHE_ENTRIES = 16_384;

    /** A directory as the events see it: its path under the root (null: elsewhere) and whether it is excluded. */
    private record Dir(String path, boolean excluded) {
        static final Dir OUTSIDE = new Dir(null, true);

        boolean watched() {
            return !excluded;
        }
    }

    private final Kernel kernel;
    private final Excludes excludes;
    private final Report report;
    private final String rootParent;
    private final String rootName;
    private final Map<String, Dir> cache;

    /**
     * @param rootParent key of the root's parent directory (null for "/"), with {@code rootName}: the root's own
     *                   entry, whose rename or removal explains a lost root
     */
    FanotifyTree(Kernel kernel, Excludes excludes, Report report, String rootParent, String rootName, int cacheEntries) {
        this.kernel = kernel;
        this.excludes = excludes;
        this.report = report;
        this.rootParent = rootParent;
        this.rootName = rootName;
        this.cache = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override protected boolean removeEldestEntry(Map.Entry<String, Dir> eldest) {
                return size() > cacheEntries;
            }
        };
    }

    int cached() {
        return cache.size();
    }

    /** The root's own entry renamed or removed, for the message when the root is lost. */
    RootCheck.Hint hint(List<FanEvent> batch) {
        RootCheck.Hint hint = RootCheck.Hint.NONE;
        for (FanEvent e : batch) {
            if (e.entry() == null || !e.isDir() || !e.entry().dir().equals(rootParent) || !e.entry().name().equals(rootName)) continue;
            if (e.is(FanEvent.FAN_RENAME)) hint = RootCheck.Hint.MOVED;
            else if (e.is(FanEvent.FAN_DELETE)) hint = RootCheck.Hint.DELETED;
        }
        return hint;
    }

    void handle(FanEvent e) throws IOException {
        if (e.is(FanEvent.FAN_Q_OVERFLOW)) {
            cache.clear();
            report.overflow();
            return;
        }
        if (e.entry() == null) return;
        if (e.is(FanEvent.FAN_RENAME)) {
            renamed(e);
            return;
        }
        Dir dir = dir(e.entry().dir());
        if (dir == null || !dir.watched()) return;
        boolean isDir = e.isDir();
        if (e.entry().name().equals(".")) { // an event on the directory itself: its attributes
            if (!dir.path().isEmpty() && e.is(FanEvent.FAN_ATTRIB)) report.change(dir.path(), Change.MODIFIED, true, Watch.Event.ATTRIB);
            return;
        }
        String path = RawNames.join(dir.path(), e.entry().name());
        if (excludes.excluded(path, isDir)) return;
        boolean created = e.is(FanEvent.FAN_CREATE);
        boolean deleted = e.is(FanEvent.FAN_DELETE);
        if (created && deleted) { // merged by the kernel: their order is lost, what is there now decides
            Boolean nowDir = kernel.kindOf(path);
            if (nowDir != null) report.created(path, nowDir);
            else report.change(path, Change.DELETED, isDir, Watch.Event.DELETE);
        } else if (deleted) {
            report.change(path, Change.DELETED, isDir, Watch.Event.DELETE);
        } else if (created) {
            report.created(path, isDir); // covers a merged write as well
        } else if (e.is(FanEvent.FAN_CLOSE_WRITE)) {
            report.change(path, Change.MODIFIED, isDir, Watch.Event.CLOSE_WRITE);
        } else if (e.is(FanEvent.FAN_MODIFY)) {
            report.change(path, Change.MODIFIED, isDir, Watch.Event.MODIFY);
        } else if (e.is(FanEvent.FAN_ATTRIB)) {
            report.change(path, Change.MODIFIED, isDir, Watch.Event.ATTRIB);
        }
    }

    private void renamed(FanEvent e) throws IOException {
        if (e.to() == null) return;
        boolean isDir = e.isDir();
        String from = pathIn(e.entry(), isDir);
        String to = pathIn(e.to(), isDir);
        // a directory that moved into, out of or within the tree: every cached path below it is stale, and so may
        // be an "elsewhere" that is now inside; directory renames are rare next to file events, so start over
        if (isDir && (from != null || to != null)) cache.clear();
        if (isDir && from == null && to != null) kernel.unignoreAll(); // before it is reported: its sync comes after
        if (from != null && to != null) {
            if (isDir) report.movedDirectory(from, to);
            else report.movedFile(from, to);
        } else if (from != null) {
            report.change(from, Change.DELETED, isDir, Watch.Event.MOVE);
        } else if (to != null) {
            report.created(to, isDir);
        }
    }

    /** The path of an entry under the root, or null when it is elsewhere, excluded, or its directory is gone. */
    private String pathIn(FanEvent.Entry entry, boolean isDir) throws IOException {
        Dir dir = dir(entry.dir());
        if (dir == null || !dir.watched()) return null;
        String path = RawNames.join(dir.path(), entry.name());
        return excludes.excluded(path, isDir) ? null : path;
    }

    private Dir dir(String key) throws IOException {
        Dir dir = cache.get(key);
        if (dir != null) return dir;
        String path = kernel.locate(key);
        if (path == null) return null;
        dir = path.equals(ELSEWHERE) ? Dir.OUTSIDE : new Dir(path, excludedDirectory(path));
        cache.put(key, dir);
        if (!dir.watched() && !key.equals(rootParent)) kernel.ignore(key); // the root's parent tells of the root
        return dir;
    }

    /** A directory is excluded when it or any directory above it is. */
    private boolean excludedDirectory(String path) {
        for (int slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1)) {
            if (excludes.excluded(path.substring(0, slash), true)) return true;
        }
        return !path.isEmpty() && excludes.excluded(path, true);
    }
}
