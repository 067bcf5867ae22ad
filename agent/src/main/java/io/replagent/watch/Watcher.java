package io.replagent.watch;

import io.replagent.tree.Change;

import java.io.IOException;

/**
 * A live watch of one source tree, made by {@link Watchers#open}. Two backends implement it: inotify (a watch per
 * directory) and fanotify (one mark per filesystem). Both report through the same {@link Listener}, both notice
 * when the root itself is lost and watch it again from scratch when a directory is back at its path.
 */
public interface Watcher extends AutoCloseable {

    /** Called on the watcher's thread: keep it quick. Paths are raw (see {@link io.replagent.tree.RawNames}), relative to the root. */
    interface Listener {
        void changed(String path, Change change, boolean dir);

        /** A directory moved within the tree (its old path is gone, its new one has the same contents). */
        void movedDirectory(String from, String to);

        /**
         * A file (or anything but a directory) renamed within the tree: its old path is gone, its new one holds what
         * the old one held (and may have replaced a file there). Reported for the {@code move} event only.
         */
        void movedFile(String from, String to);

        /** The kernel dropped events: only a full sync of the tree is sure to catch up. */
        void overflow();

        /**
         * The watched root itself is gone or is no longer the directory the watch started on (deleted, moved away,
         * replaced by another directory, unmounted, or missing at start). From now until {@link #rootBack()} nothing
         * is reported, and nothing already reported may be resolved against whatever now sits at the path.
         * A root missing at start is reported from {@link #start} itself, before it returns.
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
         * rest of the tree stays watched), anything else when it stopped or could not watch a returning root.
         */
        void failed(Exception error);
    }

    /**
     * Watches the whole tree (synchronously, so a limit error or an unusable explicit backend surfaces here), then
     * reads events on a thread of that name. A missing root is not an error: the watcher waits for it.
     */
    void start(String threadName) throws IOException;

    /** inotify watches held (one per directory); 0 on fanotify, whose one filesystem mark covers every directory. */
    int watchedDirectories();

    /** "inotify" or "fanotify": the backend watching now (or about to, while the root is missing). */
    String backend();

    /** Why that backend: the setting, or what made {@code auto} fall back to inotify. */
    String backendReason();

    /** Stops the reader promptly and releases every kernel object; nothing is reported after it returns. */
    @Override void close();
}
