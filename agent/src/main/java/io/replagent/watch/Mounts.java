package io.replagent.watch;

import io.replagent.tree.RawNames;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The mount table as this process sees it ({@code /proc/self/mountinfo}), raw paths. */
final class Mounts {

    static final String MOUNTINFO = "/proc/self/mountinfo";

    /** @param mountPoint raw, with the table's octal escapes decoded */
    record Mount(long id, String mountPoint, String fsType, String source) {}

    private Mounts() {}

    static Map<Long, Mount> read() throws IOException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(Path.of(MOUNTINFO))) {
            bytes = in.readAllBytes(); // a seq_file: reads on until EOF, unlike /proc/sys
        }
        return parse(RawNames.fromBytes(bytes, 0, bytes.length));
    }

    /** The mount points strictly inside a directory (raw, sorted): other filesystems within a tree. */
    static List<String> inside(Map<Long, Mount> mounts, String rawRoot) {
        String prefix = rawRoot.equals("/") ? "/" : rawRoot + "/";
        return mounts.values().stream().map(Mount::mountPoint)
                .filter(p -> p.startsWith(prefix) && p.length() > prefix.length()).distinct().sorted().toList();
    }

    /** Lines: id parent major:minor root mount-point options [optional fields] - fstype source super-options. */
    static Map<Long, Mount> parse(String rawTable) {
        Map<Long, Mount> mounts = new HashMap<>();
        for (String line : rawTable.split("\n")) {
            String[] f = line.split(" ");
            int dash = Arrays.asList(f).indexOf("-");
            if (f.length < 5 || dash < 0 || dash + 2 >= f.length) continue;
            mounts.put(Long.parseLong(f[0]), new Mount(Long.parseLong(f[0]), unescape(f[4]), f[dash + 1], unescape(f[dash + 2])));
        }
        return mounts;
    }

    /** The kernel writes space, tab, newline and backslash as \040, \011, \012, \134. */
    static String unescape(String field) {
        if (field.indexOf('\\') < 0) return field;
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && isOctal(field, i + 1)) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isOctal(String s, int from) {
        if (from + 3 > s.length()) return false;
        for (int i = from; i < from + 3; i++) if (s.charAt(i) < '0' || s.charAt(i) > '7') return false;
        return true;
    }
}
