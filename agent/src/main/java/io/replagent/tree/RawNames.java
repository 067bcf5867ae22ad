package io.replagent.tree;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Paths relative to a watched root, kept as "raw" strings: one char per byte (ISO-8859-1), so names that are
 * not valid UTF-8 survive unchanged from inotify to rsync's stdin. Decode only for display.
 * The root itself is "" and components are joined with '/'.
 */
public final class RawNames {

    private RawNames() {}

    public static String fromBytes(byte[] bytes, int offset, int length) {
        return new String(bytes, offset, length, StandardCharsets.ISO_8859_1);
    }

    public static byte[] bytes(String raw) {
        return raw.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The raw form of a path the JVM names (its UTF-8 bytes, as the file system has them). */
    public static String of(Path path) {
        return new String(path.toString().getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    /** For logs and status: UTF-8 where valid, U+FFFD where not. */
    public static String display(String raw) {
        return new String(bytes(raw), StandardCharsets.UTF_8);
    }

    /** True when the raw name is valid UTF-8, so it survives a trip through a Java String (argv, Path). */
    public static boolean isUtf8(String raw) {
        byte[] b = bytes(raw);
        return Arrays.equals(b, display(raw).getBytes(StandardCharsets.UTF_8));
    }

    public static String join(String dir, String name) {
        return dir.isEmpty() ? name : dir + "/" + name;
    }

    public static String parent(String raw) {
        int slash = raw.lastIndexOf('/');
        return slash < 0 ? "" : raw.substring(0, slash);
    }

    public static String name(String raw) {
        return raw.substring(raw.lastIndexOf('/') + 1);
    }

    /** The raw path NUL-terminated, for system calls that take a C string. */
    public static byte[] cString(String rawAbsolute) {
        byte[] b = bytes(rawAbsolute);
        return Arrays.copyOf(b, b.length + 1);
    }
}
