package io.replagent.service;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * sd_watchdog_enabled(3): systemd sets {@code WATCHDOG_USEC} (and {@code WATCHDOG_PID}, the process meant) when the
 * unit has WatchdogSec=; the service pings at half of it.
 */
final class Watchdog {

    private Watchdog() {}

    /** How often to send WATCHDOG=1, or empty when no watchdog is asked of this process. */
    static Optional<Duration> interval(Map<String, String> env, long pid) {
        String usec = env.get("WATCHDOG_USEC");
        String forPid = env.get("WATCHDOG_PID");
        if (usec == null) return Optional.empty();
        try {
            if (forPid != null && Long.parseLong(forPid.strip()) != pid) return Optional.empty();
            long micros = Long.parseLong(usec.strip());
            if (micros <= 0) return Optional.empty();
            return Optional.of(Duration.ofNanos(micros * 1000 / 2));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
