package io.replagent.health;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class VerdictTest {

    @Test
    void labelsRoundTripAndAnUnknownOneIsAFailure() {
        for (Verdict v : Verdict.values()) assertEquals(v, Verdict.of(v.label()));
        assertEquals(List.of("ok", "warn", "fail"), List.of(Verdict.OK.label(), Verdict.WARN.label(), Verdict.FAIL.label()));
        assertEquals(Verdict.FAIL, Verdict.of("critical"));
        assertEquals(Verdict.FAIL, Verdict.of(""));
    }

    @Test
    void worst() {
        assertEquals(Verdict.OK, Verdict.worst(List.of()));
        assertEquals(Verdict.WARN, Verdict.worst(List.of(Verdict.OK, Verdict.WARN, Verdict.OK)));
        assertEquals(Verdict.FAIL, Verdict.worst(List.of(Verdict.FAIL, Verdict.WARN)));
    }
}
