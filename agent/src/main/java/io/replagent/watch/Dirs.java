package io.replagent.watch;

import io.replagent.tree.RawNames;
import jnr.ffi.Pointer;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Directory listing by bytes (readdir), so names that are not valid UTF-8 are seen as they are. */
final class Dirs {

    private static final int DT_UNKNOWN = 0;
    private static final int DT_DIR = 4;
    /** struct dirent on Linux/glibc (x86_64, aarch64): ino 8, off 8, reclen 2, type 1, name. */
    private static final int TYPE_OFFSET = 18;
    private static final int NAME_OFFSET = 19;

    record Entry(String name, boolean dir) {}

    private Dirs() {}

    /** Entries of a directory, without . and ..; empty when it is gone or unreadable. */
    static List<Entry> list(String rawAbsolute) {
        LibC libc = LibC.INSTANCE;
        Pointer dir = libc.opendir(RawNames.cString(rawAbsolute));
        List<Entry> entries = new ArrayList<>();
        if (dir == null) return entries;
        try {
            for (Pointer e = libc.readdir(dir); e != null; e = libc.readdir(dir)) {
                byte[] nameBytes = new byte[e.indexOf(NAME_OFFSET, (byte) 0)];
                e.get(NAME_OFFSET, nameBytes, 0, nameBytes.length);
                String name = RawNames.fromBytes(nameBytes, 0, nameBytes.length);
                if (name.equals(".") || name.equals("..")) continue;
                int type = e.getByte(TYPE_OFFSET) & 0xff;
                boolean isDir = type == DT_DIR || (type == DT_UNKNOWN && isDirectory(RawNames.join(rawAbsolute, name)));
                entries.add(new Entry(name, isDir));
            }
        } finally {
            libc.closedir(dir);
        }
        return entries;
    }

    /** For file systems that do not fill d_type: a directory is what opendir accepts (symlinks excluded). */
    private static boolean isDirectory(String rawAbsolute) {
        if (!RawNames.isUtf8(rawAbsolute)) return false;
        return Files.isDirectory(Path.of(RawNames.display(rawAbsolute)), LinkOption.NOFOLLOW_LINKS);
    }
}
