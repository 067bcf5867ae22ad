package io.replagent.history;

import io.replagent.history.Journal.Entry;
import io.replagent.history.Journal.Kind;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

class VersionsTest {

    private static final String B1 = "2026-12-01T08:00:00.000Z";
    private static final String B2 = "2026-12-01T09:00:00.000Z";
    private static final String B3 = "2026-12-01T10:00:00.000Z";

    private static Listing.Node file(long size) {
        return new Listing.Node(Listing.Type.FILE, size);
    }

    @Test void newestFirstWithSizeAndKind() {
        TreeMap<String, Map<String, Listing.Node>> batches = new TreeMap<>();
        batches.put(B1, Map.of("docs", new Listing.Node(Listing.Type.DIR, 4096), "docs/a", file(10), "docs/ab", file(99)));
        batches.put(B2, Map.of("docs", new Listing.Node(Listing.Type.DIR, 4096), "docs/a", file(20)));
        batches.put(B3, Map.of("docs", new Listing.Node(Listing.Type.DIR, 4096), "docs/a", file(30), "docs/b", file(5)));
        List<Entry> journal = List.of(new Entry(B1, Kind.REPLACED, "docs/a", false), new Entry(B2, Kind.REPLACED, "docs/a", false),
                new Entry(B3, Kind.DELETED, "docs/a", false), new Entry(B3, Kind.DELETED, "docs/b", false));
        Listing.History h = new Listing.History(batches);
        assertEquals(List.of(
                new Versions.Version("docs/a", Layout.batchTime(B3).orElseThrow(), B3, 30, Kind.DELETED),
                new Versions.Version("docs/a", Layout.batchTime(B2).orElseThrow(), B2, 20, Kind.REPLACED),
                new Versions.Version("docs/a", Layout.batchTime(B1).orElseThrow(), B1, 10, Kind.REPLACED)),
                Versions.of("docs/a", h, journal));
        assertEquals(List.of("docs/a@" + B3, "docs/b@" + B3, "docs/a@" + B2, "docs/a@" + B1, "docs/ab@" + B1),
                Versions.of("docs", h, journal).stream().map(v -> v.path() + "@" + v.batch()).toList());
        assertEquals(List.of(), Versions.of("doc", h, journal));
    }

    @Test void aFileMovedAwayWithoutACopyIsListedAsMovedWithItsNewName() {
        TreeMap<String, Map<String, Listing.Node>> batches = new TreeMap<>();
        batches.put(B1, Map.of("old", new Listing.Node(Listing.Type.DIR, 4096), "old/f", file(10)));
        List<Entry> journal = List.of(new Entry(B1, Kind.REPLACED, "old/f", false),
                new Entry(B2, Kind.DELETED, "old", true), new Entry(B2, Kind.MOVED, "old/f", false, "new/f"),
                new Entry(B2, Kind.CREATED, "new/f", false));
        assertEquals(List.of(
                new Versions.Version("old/f", Layout.batchTime(B2).orElseThrow(), B2, -1, Kind.MOVED, "new/f"),
                new Versions.Version("old/f", Layout.batchTime(B1).orElseThrow(), B1, 10, Kind.REPLACED)),
                Versions.of("old", new Listing.History(batches), journal));
        assertEquals(List.of(), Versions.of("new", new Listing.History(batches), journal), "a new name has no version before it");
    }
}
