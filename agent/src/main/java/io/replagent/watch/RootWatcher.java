package io.replagent.watch;

import io.replagent.tree.RawNames;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The watcher's thread and its root, for either backend. The root is resolved (symlinks) when first seen and known
 * by its identity (device, inode, mount). After every read, and at least every {@link #CHECK_MILLIS} or when the
 * mount table changes, the path is checked to name that root still, before any event read is reported: a root
 * deleted, moved away, replaced or unmounted ends its session at once, so no event of the old root is resolved
 * against what now sits at the path. Then the path is looked at every {@link #WAIT_MILLIS} until a directory is
 * there again on the same mount point, which is watched from scratch.
 */
final class RootWatcher implements Watcher {

    static final int CHECK_MILLIS = 1000;
    static final int WAIT_MILLIS = 500;
    private static final long RETRY_MILLIS = 30_000;

    private final Path source;
    private final Backends backends;
    private final Listener listener;
    private String root;
    private Identity identity;
    private String mountPoint;
    private Map<Long, Mounts.Mount> mounts;
    private Session session;
    private Poller poller;
    private long retryAt;
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

    @Override public void close() {
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
        poller.close();
    }

    private void loop() {
        try {
            while (!stopping) {
                if (session == null) {
                    awaitRoot();
                    continue;
                }
                long due = session.nextDeadline(millis());
                int ready = poller.await(session.fd(), (int) (due < 0 ? CHECK_MILLIS : Math.min(due, CHECK_MILLIS)));
                if (stopping) break;
                if ((ready & Poller.MOUNTS) != 0) mounts = null;
                if ((ready & Poller.EVENTS) != 0) session.read();
                String lost = check(session.hint());
                if (lost == null) lost = session.report(millis());
                if (lost != null) lose(lost);
                else watched = session.watchedDirectories();
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
        String nowMount = mountPointOf(now);
        if (!RootCheck.back(now, nowMount, mountPoint)) return false;
        session = backends.open(path, now);
        root = path;
        identity = now;
        mountPoint = nowMount;
        watched = session.watchedDirectories();
        return true;
    }

    private void awaitRoot() throws IOException {
        int ready = poller.await(-1, WAIT_MILLIS);
        if (stopping) return;
        if ((ready & Poller.MOUNTS) != 0) mounts = null;
        if (millis() < retryAt) return;
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
        mounts = Mounts.read();
        String goneMount = mounts.containsKey(identity.mountId()) ? null : mountPoint;
        return RootCheck.lost(RawNames.display(root), identity, now, goneMount == null ? null : RawNames.display(goneMount), hint);
    }

    private void lose(String why) {
        session.close();
        session = null;
        watched = 0;
        listener.rootLost(why);
    }

    /** The mount point of the mount a directory is seen through (the table is read again after a change). */
    private String mountPointOf(Identity id) throws IOException {
        if (mounts == null || !mounts.containsKey(id.mountId())) mounts = Mounts.read();
        Mounts.Mount mount = mounts.get(id.mountId());
        return mount == null ? null : mount.mountPoint();
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
