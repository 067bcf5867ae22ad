package io.replagent.history;

import io.replagent.state.Retention;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrunerTest {

    private static final Instant NOW = Instant.parse("2026-12-31T12:00:00Z");

    private static String ago(Duration d) {
        return Layout.batch(NOW.minus(d));
    }

    private static Listing.Node file(long size) {
        return new Listing.Node(Listing.Type.FILE, size);
    }

    private static Listing.History history(Object... batchThenNodes) {
        TreeMap<String, Map<String, Listing.Node>> batches = new TreeMap<>();
        for (int i = 0; i < batchThenNodes.length; i += 2) {
            @SuppressWarnings("unchecked") Map<String, Listing.Node> nodes = (Map<String, Listing.Node>) batchThenNodes[i + 1];
            batches.put((String) batchThenNodes[i], nodes);
        }
        return new Listing.History(batches);
    }

    @Test void keepPrunesExactlyTheBatchesOlderThanIt() {
        String older = ago(Duration.ofDays(30).plusMillis(1));
        String exactly = ago(Duration.ofDays(30));
        String younger = ago(Duration.ofDays(29));
        Listing.History h = history(older, Map.of("a", file(10), "d", new Listing.Node(Listing.Type.DIR, 4096), "d/b", file(5)),
                exactly, Map.of("a", file(20)), younger, Map.of("a", file(30)));
        Pruner.Plan p = Pruner.plan(h, Map.of(), new Retention(Duration.ofDays(30), 0, 0), NOW);
        assertEquals(List.of(older), p.batches());
        assertEquals(Map.of(), p.copies());
        assertEquals(15, p.bytesFreed());
        assertEquals(NOW.minus(Duration.ofDays(30)), p.horizon());
        assertTrue(Pruner.plan(h, Map.of(), Retention.FOREVER, NOW).isEmpty());
    }

    @Test void maxVersionsKeepsTheNewestCopiesOfEachPath() {
        String b1 = ago(Duration.ofHours(3)), b2 = ago(Duration.ofHours(2)), b3 = ago(Duration.ofHours(1));
        Listing.History h = history(b1, Map.of("a", file(1), "only-old", file(2)), b2, Map.of("a", file(4)),
                b3, Map.of("a", file(8), "b", file(16)));
        Pruner.Plan p = Pruner.plan(h, Map.of(), new Retention(Duration.ZERO, 1, 0), NOW);
        assertEquals(List.of(b2), p.batches()); // left with nothing: goes whole
        assertEquals(Map.of(b1, List.of("a")), p.copies());
        assertEquals(5, p.bytesFreed());
        assertNull(p.horizon());
        // a batch left with nothing goes whole
        Pruner.Plan two = Pruner.plan(history(b1, Map.of("a", file(1)), b2, Map.of("a", file(4)), b3, Map.of("a", file(8))),
                Map.of(), new Retention(Duration.ZERO, 2, 0), NOW);
        assertEquals(List.of(b1), two.batches());
        assertEquals(Map.of(), two.copies());
    }

    @Test void maxSizeDropsOldestBatchesUntilUnder() {
        String b1 = ago(Duration.ofHours(3)), b2 = ago(Duration.ofHours(2)), b3 = ago(Duration.ofHours(1));
        Listing.History h = history(b1, Map.of("a", file(100)), b2, Map.of("b", file(100)), b3, Map.of("c", file(100)));
        Object[][] cases = {{300L, List.of()}, {299L, List.of(b1)}, {200L, List.of(b1)}, {150L, List.of(b1, b2)},
                {1L, List.of(b1, b2, b3)}};
        for (Object[] c : cases) {
            assertEquals(c[1], Pruner.plan(h, Map.of(), new Retention(Duration.ZERO, 0, (Long) c[0]), NOW).batches(), "max " + c[0]);
        }
    }

    @Test void journalSegmentsGoOnlyWhenNoRestoreInsideRetentionNeedsThem() {
        String old1 = ago(Duration.ofDays(40)), old2 = ago(Duration.ofDays(35)), mid = ago(Duration.ofDays(31)),
                recent = ago(Duration.ofDays(1));
        Listing.History h = history(old1, Map.of("a", file(1)), recent, Map.of("a", file(1)));
        Map<String, String> segments = Map.of(old1, old2, // its newest batch is older than keep: not needed
                mid, recent,                               // reaches into retention: kept
                recent, recent);                           // the newest: kept
        Pruner.Plan p = Pruner.plan(h, segments, new Retention(Duration.ofDays(30), 0, 0), NOW);
        assertEquals(List.of(old1), p.segments());
        // the newest segment is kept even when all of it is old
        assertEquals(List.of(), Pruner.plan(h, Map.of(old1, old2), new Retention(Duration.ofDays(30), 0, 0), NOW).segments());
        // nothing pruned, no age limit: every segment may still be needed
        assertEquals(List.of(), Pruner.plan(h, segments, new Retention(Duration.ZERO, 5, 0), NOW).segments());
    }

    @Test void runsOftenEnoughForItsKeep() {
        Object[][] cases = {{Duration.ofMinutes(10), Duration.ofMinutes(1)}, {Duration.ofHours(2), Duration.ofMinutes(6)},
                {Duration.ofDays(30), Duration.ofHours(1)}, {Duration.ZERO, Duration.ofHours(1)}};
        for (Object[] c : cases) assertEquals(c[1], Pruner.interval(new Retention((Duration) c[0], 3, 0)));
    }

    @Test void neverNamesAnythingButBatchesAndSegments() {
        Listing.History h = history(ago(Duration.ofDays(9)), Map.of("a", file(1)));
        Pruner.Plan p = Pruner.plan(h, Map.of(), new Retention(Duration.ofDays(1), 1, 1), NOW);
        assertTrue(p.batches().stream().allMatch(b -> Layout.batchTime(b).isPresent()));
    }
}
