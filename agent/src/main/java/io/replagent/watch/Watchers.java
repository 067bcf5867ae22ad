package io.replagent.watch;

import io.replagent.state.Settings;
import io.replagent.state.Watch;

import io.replagent.tree.RawNames;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Makes the watcher of a source tree:
 * <pre>
 *   Watcher w = Watchers.open(watch.source(), watch.exclude(), watch.events(), settings.watchBackend(), listener);
 *   w.start("watch-" + watch.name());   // watching when it returns; w.backend(), w.backendReason() say how
 * </pre>
 */
public final class Watchers {

    private Watchers() {}

    /**
     * @param exclude rsync-style patterns: excluded directories are not watched, excluded names not reported
     * @param events  the kinds of change to report (empty: all); new and moved directories are always reported
     * @param backend auto, inotify or fanotify; the choice is made when the root is set up (at start, and again
     *                whenever a lost root is back)
     */
    public static Watcher open(Path source, List<String> exclude, Set<Watch.Event> events, Settings.WatchBackend backend,
                               Watcher.Listener listener) {
        Report report = new Report(events, listener);
        return new RootWatcher(source, new Backends(backend, new Excludes(exclude), report), listener);
    }

    /**
     * Whether a watch of {@code source} with this backend setting needs inotify watches: not on fanotify, whose one
     * mark covers every directory (explicitly, or auto where fanotify can watch the source now). For the inotify
     * limits a plan checks or raises; a source that does not exist counts as inotify.
     */
    public static boolean needsInotify(Path source, Settings.WatchBackend backend) {
        if (backend == Settings.WatchBackend.FANOTIFY) return false;
        if (backend == Settings.WatchBackend.INOTIFY) return true;
        try {
            String root = RawNames.of(source.toRealPath());
            Identity identity = Identity.of(root).orElse(null);
            if (identity == null || !identity.dir()) return true;
            // opening only sets the group and the mark up and checks the root's handle: nothing is reported
            FanotifySession.open(root, identity, new Excludes(List.of()), new Report(Set.of(), null)).close();
            return false;
        } catch (IOException | RuntimeException | LinkageError e) {
            return true;
        }
    }
}
