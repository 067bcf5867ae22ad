package io.replagent.replicate;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/** Exponential backoff with jitter, capped: attempt 1 waits about {@code base}, each next one twice as long. */
final class Backoff {

    private final Duration base;
    private final Duration cap;
    private final DoubleSupplier random;

    /** @param random values in [0, 1): the jitter spreads each delay over 80%..120% */
    Backoff(Duration base, Duration cap, DoubleSupplier random) {
        this.base = base;
        this.cap = cap;
        this.random = random;
    }

    Duration delay(int attempt) {
        double nominal = base.toMillis() * Math.pow(2, Math.max(0, Math.min(attempt - 1, 30)));
        double capped = Math.min(nominal, cap.toMillis());
        return Duration.ofMillis(Math.round(capped * (0.8 + 0.4 * random.getAsDouble())));
    }
}
