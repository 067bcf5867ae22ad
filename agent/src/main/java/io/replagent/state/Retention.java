package io.replagent.state;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long a target's version history is kept (a target's {@code history}, or a module's on the backup host).
 *
 * @param keep        versions older than this are pruned, {@link Duration#ZERO} = no age limit
 * @param maxVersions versions kept per path, 0 = no limit
 * @param maxSize     bytes the history may hold, 0 = no limit (the oldest batches go first)
 */
public record Retention(Duration keep, int maxVersions, long maxSize) {

    /** History kept with no limit: nothing is pruned. */
    public static final Retention FOREVER = new Retention(Duration.ZERO, 0, 0);

    private static final Pattern AGE = Pattern.compile("([0-9]{1,9})(m|h|d|w)");
    private static final Pattern SIZE = Pattern.compile("([0-9]{1,15})(B|KiB|MiB|GiB|TiB)?");

    /** For plan and status: "keep 30d, 5 versions per path, at most 10 GiB", or "kept with no limit". */
    public String describe() {
        if (!prunes()) return "kept with no limit";
        java.util.List<String> parts = new java.util.ArrayList<>();
        if (!keep.isZero()) parts.add("keep " + age(keep));
        if (maxVersions > 0) parts.add(maxVersions + " versions per path");
        if (maxSize > 0) parts.add("at most " + size(maxSize));
        return String.join(", ", parts);
    }

    private static String age(Duration d) {
        long m = d.toMinutes();
        if (m % (7 * 24 * 60) == 0) return m / (7 * 24 * 60) + "w";
        if (m % (24 * 60) == 0) return m / (24 * 60) + "d";
        if (m % 60 == 0) return m / 60 + "h";
        return m + "m";
    }

    private static String size(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        int u = 0;
        while (u < 4 && bytes % 1024 == 0 && bytes >= 1024) {
            bytes /= 1024;
            u++;
        }
        return bytes + " " + units[u];
    }

    public boolean prunes() {
        return !keep.isZero() || maxVersions > 0 || maxSize > 0;
    }

    /** A retention age: {@code 90m}, {@code 12h}, {@code 30d}, {@code 2w}. */
    static Duration age(String text) {
        Matcher m = AGE.matcher(text);
        if (!m.matches()) throw new IllegalArgumentException("not an age: " + text);
        long n = Long.parseLong(m.group(1));
        switch (m.group(2)) {
            case "m": return Duration.ofMinutes(n);
            case "h": return Duration.ofHours(n);
            case "d": return Duration.ofDays(n);
            default: return Duration.ofDays(7 * n);
        }
    }

    /** A size in bytes: {@code 1048576}, {@code 500MiB}, {@code 10GiB} (binary units). */
    static long size(String text) {
        Matcher m = SIZE.matcher(text);
        if (!m.matches()) throw new IllegalArgumentException("not a size: " + text);
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "B" : m.group(2);
        int shift = switch (unit.toUpperCase(Locale.ROOT)) {
            case "KIB" -> 10;
            case "MIB" -> 20;
            case "GIB" -> 30;
            case "TIB" -> 40;
            default -> 0;
        };
        if (shift > 0 && n > (Long.MAX_VALUE >> shift)) throw new IllegalArgumentException("size too large: " + text);
        return n << shift;
    }
}
