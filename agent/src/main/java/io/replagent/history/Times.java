package io.replagent.history;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Times as operators type them for {@code --as-of}: RFC 3339 ({@code 2026-12-01T08:15:02Z},
 * {@code 2026-12-01T09:15:02.5+01:00}, a batch name), {@code now}, or relative to now ({@code -2h}, {@code 2h ago},
 * {@code -90s}, {@code -3d}, {@code -1w}). Printed always in UTC with a {@code Z}.
 */
public final class Times {

    private static final Pattern RELATIVE = Pattern.compile("(?:-\\s*(\\d{1,9})\\s*([smhdw])|(\\d{1,9})\\s*([smhdw])\\s+ago)");

    private Times() {}

    /** @throws IllegalArgumentException naming the forms that are accepted */
    public static Instant parse(String text, Instant now) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.equals("now")) return now;
        Matcher m = RELATIVE.matcher(t);
        if (m.matches()) {
            boolean minus = m.group(1) != null;
            long amount = Long.parseLong(minus ? m.group(1) : m.group(3));
            return now.minus(unit(minus ? m.group(2) : m.group(4)).multipliedBy(amount));
        }
        try {
            return OffsetDateTime.parse(text.strip().replace(' ', 'T')).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not a time: '" + text + "' (give RFC 3339 like 2026-12-01T08:15:02Z, "
                    + "or relative like -2h, '2h ago', -30m, -1d)");
        }
    }

    /** UTC, milliseconds, {@code Z}: the form of batch names. */
    public static String format(Instant time) {
        return Layout.batch(time);
    }

    private static Duration unit(String u) {
        switch (u) {
            case "s": return Duration.ofSeconds(1);
            case "m": return Duration.ofMinutes(1);
            case "h": return Duration.ofHours(1);
            case "d": return Duration.ofDays(1);
            default: return Duration.ofDays(7);
        }
    }
}
