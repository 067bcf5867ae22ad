package io.replagent.watch;

import io.replagent.tree.RawNames;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The watcher's thread and its root, for either backend. The root is resolved (symlinks) when first seen and known
 * by its identity (device, inode, mount). After every read, and at least every {@link #CHECK_MILLIS} or when the
 * mount table changes, the path is checked to name that root still, before any event read is reported: a root
 * deleted, moved away, replaced or unmounted ends its session at once, so no event of the old root is resolved
 * against what now sits at the path. Then the path is looked at every {@link #WAIT_MILLIS} until a directory that
 * may be the root is there again ({@link RootCheck#back}), which is watched from scratch. A filesystem mounted or unmounted inside
 * the tree is handled the same way: lost, then watched again from scratch.
 */
final class RootWatcher implements Watcher {

    static final int CHECK_MILLIS = 1000;
    static final int WAIT_MILLIS = 500;
    /** How long events may gather after a read before the next one: bounds the latency it adds. */
    static final int COALESCE_MILLIS = 5;
    private static final long RETRY_MILLIS = 30_000;

    private final Path source;
    private final Backends backends;
    private final Listener listener;
    private String root;
    private Identity identity;
    private Identity first;
    private String mountPoint;
    private List<String> inside;
    private Session session;
    private Poller poller;
    private long retryAt;
    private int carried;
    private volatile int watched;
    private volatile boolean stopping;
    private Thread thread;

    RootWatcher(Path source, Backends backends, Listener listener) {
        this.source = source.toAbsolutePath().normalize();
        this.backends = backends;
        this.listener = listener;
    }

    @Override public void start(String threadName) throws IOException {
        poller = new Poller();
        try {
            if (!establish()) listener.rootLost("source " + source + " does not exist (or is not a directory); waiting for it");
        } catch (IOException | RuntimeException e) {
            poller.close();
            poller = null; // a later close() must not wake a descriptor number that may be reused by now
            throw e;
        }
        thread = new Thread(this::loop, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    @Override public int watchedDirectories() {
        return watched;
    }

    @Override public String backend() {
        return backends.backend();
    }

    @Override public String backendReason() {
        return backends.reason();
    }

    @Override public synchronized void close() {
        stopping = true;
        if (poller == null) return;
        poller.wake();
        if (thread != null) {
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (session != null) session.close();
        session = null;
        poller.close();
        poller = null;
    }

    private void loop() {
        try {
            while (!stopping) {
                if (session == null) {
                    awaitRoot();
                    continue;
                }
                long due = session.nextDeadline(millis());
                int ready = poller.await(session.fd(), (int) (due < 0 ? CHECK_MILLIS : Math.min(due, CHECK_MILLIS))) | carried;
                carried = 0;
                if (stopping) break;
                boolean events = (ready & Poller.EVENTS) != 0;
                if (events) session.read();
                String lost = check(session.hint());
                if (lost == null && (ready & Poller.MOUNTS) != 0) lost = mountsInsideChanged();
                if (lost == null) lost = session.report(millis());
                if (lost != null) lose(lost);
                else watched = session.watchedDirectories();
                // a busy tree: the next events gather for a moment, so one read, one root check and one report serve
                // many of them instead of a few (a mount change seen meanwhile is handled on the next round)
                if (events && session != null && !stopping) carried = poller.await(-1, COALESCE_MILLIS) & Poller.MOUNTS;
            }
            if (session != null) session.report(Long.MAX_VALUE); // held moves out of the tree are deletes
        } catch (Exception e) {
            if (!stopping) listener.failed(e);
        }
    }

    /** Sets up a session when a directory that may be the root is at its path; false when none is (yet). */
    private boolean establish() throws IOException {
        String path = root != null ? root : resolve(source);
        if (path == null) return false;
        Identity now = Identity.of(path).orElse(null);
        if (now == null || !now.dir()) return false;
        Map<Long, Mounts.Mount> mounts = Mounts.read();
        Mounts.Mount mount = mounts.get(now.mountId());
        String nowMount = mount == null ? null : mount.mountPoint();
        if (!RootCheck.back(now, nowMount, mountPoint, path, first)) return false;
        session = backends.open(path, now);
        root = path;
        identity = now;
        if (first == null) first = now;
        mountPoint = nowMount;
        inside = Mounts.inside(mounts, root);
        watched = session.watchedDirectories();
        return true;
    }

    private void awaitRoot() throws IOException {
        if ((poller.await(-1, WAIT_MILLIS) & Poller.MOUNTS) != 0) retryAt = 0; // what failed may work now
        if (stopping || millis() < retryAt) return;
        try {
            if (establish()) listener.rootBack();
        } catch (IOException e) {
            retryAt = millis() + RETRY_MILLIS;
            listener.failed(e);
        }
    }

    /** Null while the path names the root through the same mount, else why it does not. */
    private String check(RootCheck.Hint hint) throws IOException {
        Identity now = Identity.of(root).orElse(null);
        if (now != null && now.sameAs(identity)) return null;
        String goneMount = Mounts.read().containsKey(identity.mountId()) ? null : mountPoint;
        return RootCheck.lost(RawNames.display(root), identity, now, goneMount == null ? null : RawNames.display(goneMount), hint);
    }

    /**
     * A filesystem mounted or unmounted inside the tree changes what a part of it holds, and what the session sees
     * (fanotify's mark covers one filesystem, inotify's watches the directories that were there): watch it again.
     */
    private String mountsInsideChanged() throws IOException {
        List<String> now = Mounts.inside(Mounts.read(), root);
        if (now.equals(inside)) return null;
        return "the filesystems mounted inside source " + RawNames.display(root) + " changed (before: " + list(inside)
                + "; now: " + list(now) + "): it is watched again from scratch";
    }

    private static String list(List<String> mountPoints) {
        return mountPoints.isEmpty() ? "none" : String.join(", ", mountPoints.stream().map(RawNames::display).toList());
    }

    private void lose(String why) {
        session.close();
        session = null;
        watched = 0;
        listener.rootLost(why);
    }

    /** The source with its symlinks resolved, raw; null while it does not exist. */
    private static String resolve(Path source) {
        try {
            return RawNames.of(source.toRealPath());
        } catch (IOException e) {
            return null;
        }
    }

    private static long millis() {
        return System.nanoTime() / 1_000_000;
    }
}
