package io.replagent.history;

import io.replagent.history.Journal.Entry;
import io.replagent.history.Journal.Kind;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MovedAwayTest {

    private static final String B = "2026-12-01T08:15:02.123Z";

    private static Map<String, Listing.Node> listing(Object... nameType) {
        Map<String, Listing.Node> out = new TreeMap<>();
        for (int i = 0; i < nameType.length; i += 2) out.put((String) nameType[i], new Listing.Node((Listing.Type) nameType[i + 1], 1));
        return out;
    }

    @Test void everyFileLinkedGivesAMovedLineEachAndTheDirectoriesDeleted() {
        Map<String, Listing.Node> old = listing("d", Listing.Type.DIR, "d/f", Listing.Type.FILE, "l", Listing.Type.LINK,
                "empty", Listing.Type.DIR);
        assertEquals(Optional.of(List.of(
                        new Entry(B, Kind.DELETED, "top", true),
                        new Entry(B, Kind.DELETED, "top/d", true),
                        new Entry(B, Kind.MOVED, "top/d/f", false, "top2/d/f"),
                        new Entry(B, Kind.DELETED, "top/empty", true),
                        new Entry(B, Kind.MOVED, "top/l", false, "top2/l"))),
                MovedAway.entries(B, "top", "top2", old, Set.of("d/f", "l", "new-at-source")));
    }

    @Test void anEmptyDirectoryMovedNeedsNoCopies() {
        assertEquals(Optional.of(List.of(new Entry(B, Kind.DELETED, "a", true))), MovedAway.entries(B, "a", "b", Map.of(), Set.of()));
    }

    @Test void oneFileNotLinkedOrOfAnotherKindKeepsCopiesOfAll() {
        Object[][] cases = {
                // changed since (sent, not linked), gone at the source (no new name), a fifo (rsync links no devices)
                {listing("f", Listing.Type.FILE, "g", Listing.Type.FILE), Set.of("f")},
                {listing("d", Listing.Type.DIR, "d/f", Listing.Type.FILE), Set.of("f")}, // a name elsewhere is no link
                {listing("p", Listing.Type.OTHER), Set.of("p")},
        };
        for (Object[] c : cases) {
            @SuppressWarnings("unchecked") Set<String> linked = (Set<String>) c[1];
            @SuppressWarnings("unchecked") Map<String, Listing.Node> old = (Map<String, Listing.Node>) c[0];
            assertEquals(Optional.empty(), MovedAway.entries(B, "a", "b", old, linked), old.toString());
        }
    }
}
