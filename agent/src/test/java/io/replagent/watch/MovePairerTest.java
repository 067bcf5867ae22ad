package io.replagent.watch;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class MovePairerTest {

    @Test void pairsByCookieAcrossReadsWithinTheHold() {
        MovePairer p = new MovePairer(50);
        p.movedFrom(7, "a", true, 1000);
        assertEquals(List.of(), p.expired(1049, false));
        assertEquals(1, p.nextDeadline(1049));
        assertEquals("a", p.movedTo(7).path());
        assertEquals(-1, p.nextDeadline(1049));
    }

    @Test void unpairedAfterTheHoldIsAMoveOut() {
        MovePairer p = new MovePairer(50);
        p.movedFrom(1, "gone", false, 1000);
        p.movedFrom(2, "later", false, 1040);
        assertEquals(List.of("gone"), p.expired(1050, false).stream().map(MovePairer.From::path).toList());
        assertNull(p.movedTo(1), "too late: the MOVED_TO is a move in");
        assertEquals(List.of("later"), p.expired(1050, true).stream().map(MovePairer.From::path).toList());
    }

    @Test void unknownCookieIsAMoveIn() {
        assertNull(new MovePairer(50).movedTo(42));
    }
}
