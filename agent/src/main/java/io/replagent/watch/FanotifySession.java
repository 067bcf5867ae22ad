package io.replagent.watch;

import io.replagent.state.Watch;
import io.replagent.tree.RawNames;

import jnr.ffi.Memory;
import jnr.ffi.Pointer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The fanotify backend's kernel side: one group reporting directory handles and names, one mark on the root's
 * filesystem (every directory, present and future, with no per-directory watch), an unlimited queue where allowed.
 * Handles become paths with open_by_handle_at against the root and the descriptor's link in /proc; the root is
 * opened only while a batch is reported, so the agent never keeps the filesystem busy (umount still works).
 * Directories elsewhere on the filesystem get ignore marks, so their writes stop reaching the agent.
 */
final class FanotifySession implements Session, FanotifyTree.Kernel {

    /** fanotify cannot watch this root; the message says why (auto falls back to inotify with it). */
    static final class Unavailable extends IOException {
        Unavailable(String message) {
            super(message);
        }
    }

    private static final int FAN_CLOEXEC = 0x1;
    private static final int FAN_NONBLOCK = 0x2;
    private static final int FAN_UNLIMITED_QUEUE = 0x10;
    private static final int FAN_REPORT_DFID_NAME = 0x400 | 0x800;
    private static final int FAN_MARK_ADD = 0x1;
    private static final int FAN_MARK_IGNORED_SURV_MODIFY = 0x40;
    private static final int FAN_MARK_FLUSH = 0x80;
    private static final int FAN_MARK_FILESYSTEM = 0x100;
    private static final int FAN_MARK_EVICTABLE = 0x200;
    private static final int FAN_MARK_IGNORE = 0x400;
    private static final long FAN_EVENT_ON_CHILD = 0x08000000L;
    /** Everything but FAN_RENAME, on the directory and the files in it. */
    private static final long IGNORED = FanEvent.FAN_CREATE | FanEvent.FAN_DELETE | FanEvent.FAN_MODIFY
            | FanEvent.FAN_CLOSE_WRITE | FanEvent.FAN_ATTRIB | FanEvent.FAN_ONDIR | FAN_EVENT_ON_CHILD;
    private static final int EPERM = 1;
    private static final int EXDEV = 18;
    private static final int ENODEV = 19;
    private static final int EINVAL = 22;
    private static final int EMFILE = 24;
    private static final int ENOSYS = 38;
    private static final int EOPNOTSUPP = 95;
    private static final int BUFFER = 64 * 1024;
    private static final int MAX_HANDLE = 128;

    private final LibC libc = LibC.INSTANCE;
    private final String root;
    private final String display;
    private final Identity identity;
    private final int fd;
    private final boolean unlimitedQueue;
    private final Pointer buffer = Memory.allocateDirect(LibC.runtime(), BUFFER);
    private final byte[] bytes = new byte[BUFFER];
    private final byte[] link = new byte[4096];
    private FanotifyTree tree;
    private List<FanEvent> pending = List.of();
    private int mountFd = -1;
    private boolean ignoring = true;
    private int ignored;

    private FanotifySession(String root, Identity identity, int fd, boolean unlimitedQueue) {
        this.root = root;
        this.display = RawNames.display(root);
        this.identity = identity;
        this.fd = fd;
        this.unlimitedQueue = unlimitedQueue;
    }

    /**
     * Sets up the group and the mark and proves that a handle of the root resolves back to the root.
     *
     * @throws Unavailable when fanotify cannot watch this root (privilege, kernel, filesystem, other mounts inside)
     */
    static FanotifySession open(String root, Identity identity, Excludes excludes, Report report) throws IOException {
        LibC libc = LibC.INSTANCE;
        String display = RawNames.display(root);
        Map<Long, Mounts.Mount> mounts = Mounts.read();
        Mounts.Mount mount = mounts.get(identity.mountId());
        String fs = mount == null ? "its filesystem" : "its filesystem (" + mount.fsType() + " at " + RawNames.display(mount.mountPoint()) + ")";
        List<String> inside = Mounts.inside(mounts, root);
        if (!inside.isEmpty())
            throw new Unavailable("fanotify cannot watch " + display + ": other filesystems are mounted inside it ("
                    + String.join(", ", inside.stream().limit(3).map(RawNames::display).toList()) + (inside.size() > 3 ? ", …" : "")
                    + ") and one fanotify mark covers one filesystem");
        int flags = FAN_CLOEXEC | FAN_NONBLOCK | FAN_REPORT_DFID_NAME;
        int fd = libc.fanotify_init(flags | FAN_UNLIMITED_QUEUE, LibC.O_RDONLY | LibC.O_CLOEXEC);
        boolean unlimited = fd >= 0;
        if (fd < 0 && LibC.errno() == EPERM) fd = libc.fanotify_init(flags, LibC.O_RDONLY | LibC.O_CLOEXEC);
        if (fd < 0) throw new Unavailable("fanotify cannot watch " + display + ": " + initProblem(LibC.errno()));
        FanotifySession session = new FanotifySession(root, identity, fd, unlimited);
        try {
            long mask = FanEvent.FAN_CREATE | FanEvent.FAN_DELETE | FanEvent.FAN_RENAME | FanEvent.FAN_ONDIR;
            if (report.wants(Watch.Event.CLOSE_WRITE)) mask |= FanEvent.FAN_CLOSE_WRITE;
            if (report.wants(Watch.Event.MODIFY)) mask |= FanEvent.FAN_MODIFY;
            if (report.wants(Watch.Event.ATTRIB)) mask |= FanEvent.FAN_ATTRIB;
            if (libc.fanotify_mark(fd, FAN_MARK_ADD | FAN_MARK_FILESYSTEM, mask, LibC.AT_FDCWD, RawNames.cString(root)) != 0)
                throw new Unavailable("fanotify cannot watch " + display + ": " + markProblem(LibC.errno(), fs));
            String rootKey = session.keyOf(root);
            if (rootKey == null)
                throw new Unavailable("fanotify cannot watch " + display + ": " + fs + " gives no file handle for it ("
                        + LibC.describe(LibC.errno()) + ")");
            String parent = root.equals("/") ? null : session.keyOf(RawNames.parent(root).isEmpty() ? "/" : RawNames.parent(root));
            session.tree = new FanotifyTree(session, excludes, report, parent, RawNames.name(root), FanotifyTree.CACHE_ENTRIES);
            String back = session.withRoot(() -> session.locate(rootKey));
            if (!"".equals(back))
                throw new Unavailable("fanotify cannot watch " + display + ": a file handle of it does not open back to it on " + fs);
            return session;
        } catch (IOException | RuntimeException e) {
            session.close();
            throw e;
        }
    }

    /** True when fanotify's queue has no limit (then it cannot overflow). */
    boolean unlimitedQueue() {
        return unlimitedQueue;
    }

    private static String initProblem(int errno) {
        return switch (errno) {
            case EPERM -> "it needs CAP_SYS_ADMIN, which this process lacks";
            case EINVAL -> "this kernel (" + System.getProperty("os.version") + ") does not report directory handles with names"
                    + " (FAN_REPORT_DFID_NAME needs Linux 5.9)";
            case ENOSYS -> "this kernel has no fanotify";
            case EMFILE -> "too many fanotify groups for this user (fs.fanotify.max_user_groups)";
            default -> "fanotify_init failed: " + LibC.describe(errno);
        };
    }

    private static String markProblem(int errno, String fs) {
        return switch (errno) {
            case EPERM -> "a filesystem mark needs CAP_SYS_ADMIN, which this process lacks";
            case EINVAL -> "this kernel (" + System.getProperty("os.version") + ") rejected the mark (FAN_RENAME needs Linux 5.17)";
            case ENODEV -> fs + " has no filesystem id (fsid)";
            case EOPNOTSUPP -> fs + " cannot encode file handles";
            case EXDEV -> fs + " is a subvolume whose filesystem id differs from its filesystem's";
            default -> "fanotify_mark failed: " + LibC.describe(errno);
        };
    }

    @Override public String backend() {
        return "fanotify";
    }

    @Override public int fd() {
        return fd;
    }

    @Override public int watchedDirectories() {
        return 0;
    }

    @Override public void read() throws IOException {
        long n = libc.read(fd, buffer, BUFFER);
        if (n < 0) {
            int errno = LibC.errno();
            if (errno == LibC.EAGAIN || errno == LibC.EINTR) return;
            throw new IOException("read from fanotify failed: " + LibC.describe(errno));
        }
        buffer.get(0, bytes, 0, (int) n);
        pending = FanEvent.parse(bytes, (int) n);
    }

    @Override public RootCheck.Hint hint() {
        return tree.hint(pending);
    }

    @Override public String report(long nowMillis) throws IOException {
        List<FanEvent> batch = pending;
        pending = List.of();
        if (batch.isEmpty()) return null;
        return withRoot(() -> {
            for (FanEvent e : batch) tree.handle(e);
            return null;
        });
    }

    @Override public long nextDeadline(long nowMillis) {
        return -1;
    }

    private interface WithRoot {
        String run() throws IOException;
    }

    /**
     * Runs with the root open as the mount descriptor open_by_handle_at needs, checked to be the root still.
     *
     * @return what {@code work} returns, or why the root is lost when it is not there as it was
     */
    private String withRoot(WithRoot work) throws IOException {
        mountFd = libc.open(RawNames.cString(root), LibC.O_RDONLY | LibC.O_DIRECTORY | LibC.O_NOFOLLOW | LibC.O_CLOEXEC);
        if (mountFd < 0) return "source " + display + " cannot be opened any more: " + LibC.describe(LibC.errno());
        try {
            if (!Identity.ofFd(mountFd).map(identity::sameAs).orElse(false)) return "source " + display + " changed while its events were read";
            return work.run();
        } finally {
            libc.close(mountFd);
            mountFd = -1;
        }
    }

    @Override public String locate(String dirKey) throws IOException {
        int dir = libc.open_by_handle_at(mountFd, FanEvent.handle(dirKey), LibC.O_PATH | LibC.O_CLOEXEC);
        if (dir < 0) {
            int errno = LibC.errno();
            if (errno == LibC.ESTALE || errno == LibC.ENOENT) return null;
            throw new IOException("open_by_handle_at under " + display + " failed: " + LibC.describe(errno));
        }
        try {
            Identity opened = Identity.ofFd(dir).orElse(null);
            if (opened == null || opened.links() == 0) return null; // removed, still held by someone
            long n = libc.readlink(RawNames.cString("/proc/self/fd/" + dir), link, link.length);
            if (n <= 0 || n >= link.length) return null;
            String absolute = RawNames.fromBytes(link, 0, (int) n);
            String path = relative(absolute);
            if (path == null) return FanotifyTree.ELSEWHERE;
            // the link may not name it (moved again since, or outside what this mount shows): only a match counts
            return opened.sameObject(Identity.of(absolute).orElse(null)) ? path : null;
        } finally {
            libc.close(dir);
        }
    }

    /** An evictable ignore mark (Linux 6.0): it pins no inode; where the kernel refuses one, events just keep coming. */
    @Override public void ignore(String dirKey) {
        if (!ignoring) return;
        int dir = libc.open_by_handle_at(mountFd, FanEvent.handle(dirKey), LibC.O_PATH | LibC.O_CLOEXEC);
        if (dir < 0) return;
        try {
            int flags = FAN_MARK_ADD | FAN_MARK_IGNORE | FAN_MARK_IGNORED_SURV_MODIFY | FAN_MARK_EVICTABLE;
            if (libc.fanotify_mark(fd, flags, IGNORED, LibC.AT_FDCWD, RawNames.cString("/proc/self/fd/" + dir)) == 0) ignored++;
            else ignoring = false; // an older kernel, or the user's mark limit (fs.fanotify.max_user_marks)
        } finally {
            libc.close(dir);
        }
    }

    @Override public void unignoreAll() {
        if (ignored == 0) return;
        libc.fanotify_mark(fd, FAN_MARK_FLUSH, 0, LibC.AT_FDCWD, null); // inode marks only: the filesystem mark stays
        ignored = 0;
        ignoring = true;
    }

    @Override public Boolean kindOf(String path) {
        return Identity.of(root.equals("/") ? "/" + path : root + "/" + path).map(Identity::dir).orElse(null);
    }

    /** The path relative to the root, or null when it is not under it. */
    private String relative(String absolute) {
        if (absolute.equals(root)) return "";
        if (root.equals("/")) return absolute.startsWith("/") ? absolute.substring(1) : null;
        return absolute.startsWith(root) && absolute.length() > root.length() && absolute.charAt(root.length()) == '/'
                ? absolute.substring(root.length() + 1) : null;
    }

    /** The key events would give a directory: its filesystem id and file handle; null when it has none. */
    private String keyOf(String rawAbsolute) {
        byte[] statfs = new byte[120];
        if (libc.statfs(RawNames.cString(rawAbsolute), statfs) != 0) return null;
        byte[] handle = new byte[8 + MAX_HANDLE];
        ByteBuffer fields = ByteBuffer.wrap(handle).order(ByteOrder.nativeOrder());
        fields.putInt(0, MAX_HANDLE); // handle_bytes: the room in, the length out
        if (libc.name_to_handle_at(LibC.AT_FDCWD, RawNames.cString(rawAbsolute), handle, new int[1], 0) != 0) return null;
        return FanEvent.key(Arrays.copyOfRange(statfs, 56, 64), handle, 8 + fields.getInt(0));
    }

    @Override public void close() {
        libc.close(fd);
    }
}
