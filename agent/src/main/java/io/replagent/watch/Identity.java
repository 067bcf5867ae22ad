package io.replagent.watch;

import io.replagent.tree.RawNames;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;

/**
 * Who a file system object is, as statx reports it: device and inode (the object), the mount it is seen through
 * (a new mount over the path, or the path's mount gone, changes it even when device and inode look alike).
 *
 * @param mountRoot the object is the root of its mount (a mount point)
 * @param links     0 for a directory that was removed while something still held it
 */
record Identity(long dev, long ino, long mountId, boolean mountRoot, boolean dir, int links) {

    private static final int STATX_TYPE = 0x1;
    private static final int STATX_NLINK = 0x4;
    private static final int STATX_INO = 0x100;
    private static final int STATX_MNT_ID = 0x1000;
    private static final long STATX_ATTR_MOUNT_ROOT = 0x2000;
    private static final int S_IFMT = 0170000;
    private static final int S_IFDIR = 0040000;

    /** Same object: device and inode. */
    boolean sameObject(Identity other) {
        return other != null && dev == other.dev && ino == other.ino;
    }

    /** Same object seen through the same mount. */
    boolean sameAs(Identity other) {
        return sameObject(other) && mountId == other.mountId;
    }

    /** For messages: "device 8:0 inode 1234". */
    String describe() {
        return "device " + (dev >>> 32) + ":" + (dev & 0xffffffffL) + " inode " + ino;
    }

    /** The object at a path (the last component not followed), or empty when nothing is there. */
    static Optional<Identity> of(String rawAbsolute) {
        byte[] buffer = new byte[256];
        if (LibC.INSTANCE.statx(LibC.AT_FDCWD, RawNames.cString(rawAbsolute), LibC.AT_SYMLINK_NOFOLLOW, mask(), buffer) != 0)
            return Optional.empty();
        return Optional.of(parse(buffer));
    }

    /** The object an open descriptor refers to, or empty when statx fails. */
    static Optional<Identity> ofFd(int fd) {
        byte[] buffer = new byte[256];
        if (LibC.INSTANCE.statx(fd, new byte[] {0}, LibC.AT_EMPTY_PATH, mask(), buffer) != 0) return Optional.empty();
        return Optional.of(parse(buffer));
    }

    private static int mask() {
        return STATX_TYPE | STATX_NLINK | STATX_INO | STATX_MNT_ID;
    }

    /** struct statx: attributes @8, nlink @16, mode @28, ino @32, dev_major @136, dev_minor @140, mnt_id @144. */
    static Identity parse(byte[] statx) {
        ByteBuffer b = ByteBuffer.wrap(statx).order(ByteOrder.nativeOrder());
        long attributes = b.getLong(8);
        int links = b.getInt(16);
        int mode = b.getShort(28) & 0xffff;
        long ino = b.getLong(32);
        long dev = ((long) b.getInt(136) << 32) | (b.getInt(140) & 0xffffffffL);
        long mountId = b.getLong(144);
        return new Identity(dev, ino, mountId, (attributes & STATX_ATTR_MOUNT_ROOT) != 0, (mode & S_IFMT) == S_IFDIR, links);
    }
}
