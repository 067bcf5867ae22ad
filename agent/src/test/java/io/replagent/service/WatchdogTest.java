package io.replagent.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WatchdogTest {

    @ParameterizedTest(name = "WATCHDOG_USEC={0} WATCHDOG_PID={1}")
    @CsvSource(nullValues = "-", textBlock = """
        30000000 , -   , 15000
        30000000 , 42  , 15000
        30000000 , 43  , -
        -        , 42  , -
        0        , -   , -
        abc      , -   , -
        30000000 , x   , -
        """)
    void pingsAtHalfTheTimeoutForThisProcessOnly(String usec, String pid, Long millis) {
        Map<String, String> env = new java.util.HashMap<>();
        if (usec != null) env.put("WATCHDOG_USEC", usec);
        if (pid != null) env.put("WATCHDOG_PID", pid);
        assertEquals(millis == null ? Optional.empty() : Optional.of(Duration.ofMillis(millis)), Watchdog.interval(env, 42));
    }
}
