package io.replagent.watch;

import io.replagent.state.Watch;
import io.replagent.tree.RawNames;

import java.io.IOException;
import java.util.List;

/** The inotify backend's kernel side: one inotify instance feeding an {@link InotifyTree}. */
final class InotifySession implements Session, InotifyTree.Kernel {

    private final String root;
    private final int mask;
    private final Inotify inotify;
    private final InotifyTree tree;
    private final Report report;
    private List<RawEvent> pending = List.of();

    private InotifySession(String root, Excludes excludes, Report report) throws IOException {
        this.root = root;
        this.report = report;
        int m = RawEvent.IN_CREATE | RawEvent.IN_DELETE | RawEvent.IN_MOVED_FROM | RawEvent.IN_MOVED_TO
                | RawEvent.IN_ONLYDIR | RawEvent.IN_DONT_FOLLOW | RawEvent.IN_EXCL_UNLINK;
        if (report.wants(Watch.Event.CLOSE_WRITE)) m |= RawEvent.IN_CLOSE_WRITE;
        if (report.wants(Watch.Event.MODIFY)) m |= RawEvent.IN_MODIFY;
        if (report.wants(Watch.Event.ATTRIB)) m |= RawEvent.IN_ATTRIB;
        this.mask = m;
        this.inotify = new Inotify();
        this.tree = new InotifyTree(this, excludes, report, RawNames.display(root));
    }

    /** Watches every directory of the tree that is not excluded (a limit error surfaces here). */
    static InotifySession open(String root, Excludes excludes, Report report) throws IOException {
        InotifySession session = new InotifySession(root, excludes, report);
        try {
            session.tree.addTree("");
        } catch (IOException e) {
            session.close();
            throw e;
        }
        return session;
    }

    @Override public String backend() {
        return "inotify";
    }

    @Override public int fd() {
        return inotify.fd();
    }

    @Override public int watchedDirectories() {
        return tree.watched();
    }

    @Override public void read() throws IOException {
        pending = inotify.read();
    }

    @Override public RootCheck.Hint hint() {
        return tree.hint(pending);
    }

    @Override public String report(long nowMillis) throws IOException {
        List<RawEvent> batch = pending;
        pending = List.of();
        for (RawEvent e : batch) {
            try {
                String lost = tree.handle(e, nowMillis);
                if (lost != null) return lost;
            } catch (WatchLimitException limit) {
                report.failed(limit); // not fatal: the rest of the tree stays watched
            }
        }
        tree.expire(nowMillis, nowMillis == Long.MAX_VALUE);
        return null;
    }

    @Override public long nextDeadline(long nowMillis) {
        return tree.nextDeadline(nowMillis);
    }

    @Override public int addWatch(String dir) throws IOException {
        return inotify.addWatch(absolute(dir), mask);
    }

    @Override public void removeWatch(int wd) {
        inotify.removeWatch(wd);
    }

    @Override public List<Dirs.Entry> list(String dir) {
        return Dirs.list(absolute(dir));
    }

    private String absolute(String dir) {
        return dir.isEmpty() ? root : root.equals("/") ? "/" + dir : root + "/" + dir;
    }

    @Override public void close() {
        inotify.close();
    }
}
