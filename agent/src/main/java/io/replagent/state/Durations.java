package io.replagent.state;

import java.time.Duration;

/** Durations as state files write them: {@code 500ms}, {@code 1s}, {@code 2m}, {@code 1h}, or 0. */
final class Durations {

    private Durations() {}

    /** @throws IllegalArgumentException when the text is not such a duration */
    static Duration parse(String text) {
        if (text.equals("0")) return Duration.ZERO;
        int unit = 0;
        while (unit < text.length() && Character.isDigit(text.charAt(unit))) unit++;
        if (unit == 0 || unit > 9) throw new IllegalArgumentException("not a duration: " + text);
        long amount = Long.parseLong(text.substring(0, unit));
        switch (text.substring(unit)) {
            case "ms": return Duration.ofMillis(amount);
            case "s": return Duration.ofSeconds(amount);
            case "m": return Duration.ofMinutes(amount);
            case "h": return Duration.ofHours(amount);
            default: throw new IllegalArgumentException("not a duration: " + text);
        }
    }
}
