package io.replagent.watch;

/** One inotify record: the watch it came from, its mask, the move cookie and the raw name ("" for the dir itself). */
record RawEvent(int wd, int mask, int cookie, String name) {

    static final int IN_MODIFY = 0x2;
    static final int IN_ATTRIB = 0x4;
    static final int IN_CLOSE_WRITE = 0x8;
    static final int IN_MOVED_FROM = 0x40;
    static final int IN_MOVED_TO = 0x80;
    static final int IN_CREATE = 0x100;
    static final int IN_DELETE = 0x200;
    static final int IN_DELETE_SELF = 0x400;
    static final int IN_MOVE_SELF = 0x800;
    static final int IN_UNMOUNT = 0x2000;
    static final int IN_Q_OVERFLOW = 0x4000;
    static final int IN_IGNORED = 0x8000;
    static final int IN_ONLYDIR = 0x01000000;
    static final int IN_DONT_FOLLOW = 0x02000000;
    static final int IN_EXCL_UNLINK = 0x04000000;
    static final int IN_ISDIR = 0x40000000;

    boolean is(int bit) {
        return (mask & bit) != 0;
    }

    boolean isDir() {
        return is(IN_ISDIR);
    }
}
