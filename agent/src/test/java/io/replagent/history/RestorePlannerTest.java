package io.replagent.history;

import io.replagent.history.Journal.Entry;
import io.replagent.history.Journal.Kind;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RestorePlannerTest {

    private static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");
    private static final String DIR = "<dir>";

    /**
     * A target as rsync with --backup leaves it (the facts of package-info): operations change the source, and at
     * the end of a batch the net change reaches the target as rsync sends it. What the batch replaced or deleted goes
     * to history/BATCH/path (a deleted directory file by file), and the journal gets one line per item. Content is a
     * string; a directory is DIR.
     */
    private static final class Target {
        final TreeMap<String, String> mirror = new TreeMap<>();
        final TreeMap<String, TreeMap<String, String>> history = new TreeMap<>();
        final List<Entry> journal = new ArrayList<>();
        final List<String> batches = new ArrayList<>();
        final List<TreeMap<String, String>> after = new ArrayList<>();
        final java.util.Set<String> unlisted = new java.util.HashSet<>();
        /** Old name → new name of the files of directories moved away without copies in this batch (MovedAway). */
        final Map<String, String> movedAway = new java.util.HashMap<>();
        String batch;

        void batch(Runnable ops) {
            batch = Layout.batch(T0.plusSeconds(10L * (batches.size() + 1)));
            batches.add(batch);
            TreeMap<String, String> before = new TreeMap<>(mirror);
            unlisted.clear();
            movedAway.clear();
            ops.run();
            java.util.TreeSet<String> paths = new java.util.TreeSet<>(before.keySet());
            paths.addAll(mirror.keySet());
            for (String p : paths.descendingSet()) { // rsync deletes deepest first
                String old = before.get(p), now = mirror.get(p);
                boolean typeChanged = old != null && now != null && DIR.equals(old) != DIR.equals(now);
                if (old != null && (now == null || typeChanged)) {
                    if (movedAway.containsKey(p) && !DIR.equals(old)) {
                        journal.add(new Entry(batch, Kind.MOVED, p, false, movedAway.get(p)));
                        continue;
                    }
                    if (!DIR.equals(old) && !movedAway.containsKey(p)) keep(p, old);
                    journal.add(new Entry(batch, Kind.DELETED, p, DIR.equals(old)));
                }
            }
            for (String p : paths) {
                String old = before.get(p), now = mirror.get(p);
                boolean typeChanged = old != null && now != null && DIR.equals(old) != DIR.equals(now);
                if (now != null && (old == null || typeChanged)) {
                    if (!unlisted.contains(p)) journal.add(new Entry(batch, Kind.CREATED, p, DIR.equals(now)));
                } else if (now != null && !DIR.equals(now) && !now.equals(old)) {
                    keep(p, old);
                    journal.add(new Entry(batch, Kind.REPLACED, p, false));
                }
            }
            after.add(new TreeMap<>(mirror));
        }

        void write(String path, String content) {
            mkdirs(parentOf(path));
            if (DIR.equals(mirror.get(path))) delete(path);
            mirror.put(path, content);
        }

        void mkdirs(String dir) {
            if (dir.isEmpty() || DIR.equals(mirror.get(dir))) return;
            mkdirs(parentOf(dir));
            mirror.remove(dir);
            mirror.put(dir, DIR);
        }

        void delete(String path) {
            mirror.remove(path);
            mirror.subMap(path + "/", path + "0").clear();
        }

        /**
         * A directory rename as the agent sends it: --link-dest at -ii lists every new name; without it
         * (itemizesLinks false) only the new directory itself has a line.
         */
        void move(String from, String to, boolean itemizesLinks) {
            mkdirs(parentOf(to));
            delete(to);
            mirror.put(to, DIR);
            for (Map.Entry<String, String> e : new TreeMap<>(mirror.subMap(from + "/", from + "0")).entrySet()) {
                String p = to + e.getKey().substring(from.length());
                mirror.put(p, e.getValue());
                if (!itemizesLinks) unlisted.add(p);
            }
            delete(from);
        }

        /**
         * A directory rename as the agent sends it with history when the move linked every file: the new names
         * itemized, the old name deleted without copies, a moved line per file (see MovedAway).
         */
        void moveUncopied(String from, String to) {
            for (String p : mirror.subMap(from + "/", from + "0").keySet()) {
                movedAway.put(p, to + p.substring(from.length()));
            }
            movedAway.put(from, to);
            move(from, to, true);
        }

        private void keep(String path, String old) {
            history.computeIfAbsent(batch, b -> new TreeMap<>()).put(path, old);
        }

        Map<String, Listing.Node> mirrorListing() {
            return nodes(mirror);
        }

        Listing.History historyListing() {
            NavigableMap<String, Map<String, Listing.Node>> batchNodes = new TreeMap<>();
            history.forEach((b, files) -> {
                TreeMap<String, String> withDirs = new TreeMap<>(files);
                for (String p : files.keySet()) for (String d = parentOf(p); !d.isEmpty(); d = parentOf(d)) withDirs.put(d, DIR);
                batchNodes.put(b, nodes(withDirs));
            });
            return new Listing.History(batchNodes);
        }

        /** The tree a plan restores, content taken from where the plan says. */
        TreeMap<String, String> restored(RestorePlanner.Plan plan) {
            TreeMap<String, String> out = new TreeMap<>();
            for (RestorePlanner.Item i : plan.items()) {
                String content = switch (i.source()) {
                    case MIRROR -> mirror.get(i.at());
                    case HISTORY -> i.node().type() == Listing.Type.DIR ? DIR : history.get(i.batch()).get(i.at());
                    case EMPTY_DIR -> DIR;
                };
                out.put(i.path(), content);
                for (String d = parentOf(i.path()); !d.isEmpty(); d = parentOf(d)) out.put(d, DIR); // rsync's implied dirs
            }
            return out;
        }

        RestorePlanner.Plan plan(Instant asOf, List<String> selection) {
            return RestorePlanner.plan(mirrorListing(), historyListing(), journal, asOf, selection);
        }

        /** Every step: between its batch and the next, and at the exact time of the next batch. */
        void assertEveryStepRestoresExactly() {
            for (int i = 0; i < batches.size(); i++) {
                Instant t = Layout.batchTime(batches.get(i)).orElseThrow();
                assertEquals(after.get(i), restored(plan(t.plusMillis(1), List.of())), "as of just after batch " + i);
                assertEquals(after.get(i), restored(plan(t.plusSeconds(10), List.of())), "as of the time of batch " + (i + 1));
                assertTrue(plan(t.plusMillis(1), List.of()).unavailable().isEmpty());
            }
            assertEquals(Map.of(), restored(plan(T0, List.of())), "before the first batch nothing existed");
            assertEquals(mirror, restored(plan(null, List.of())));
        }

        private static Map<String, Listing.Node> nodes(Map<String, String> tree) {
            Map<String, Listing.Node> out = new TreeMap<>();
            tree.forEach((p, c) -> out.put(p, DIR.equals(c) ? new Listing.Node(Listing.Type.DIR, 4096)
                    : new Listing.Node(Listing.Type.FILE, c.length())));
            return out;
        }
    }

    private static String parentOf(String p) {
        int s = p.lastIndexOf('/');
        return s < 0 ? "" : p.substring(0, s);
    }

    @Test void renamedThenHalfDeletedThenRecreatedAtAnOldPathEachStepExactly() {
        Target t = new Target();
        t.batch(() -> {
            for (int i = 0; i < 10; i++) t.write("tree/sub/f" + i, "v1-" + i);
            t.write("tree/top", "top");
            t.write("other", "o");
        });
        t.batch(() -> t.move("tree", "renamed", true));
        t.batch(() -> {
            for (int i = 0; i < 5; i++) t.delete("renamed/sub/f" + i);
            t.delete("renamed/top");
        });
        t.batch(() -> t.write("tree/sub/f3", "recreated"));
        t.batch(() -> t.write("tree/sub/f3", "rewritten"));
        t.assertEveryStepRestoresExactly();
    }

    @Test void aTreeMovedWithoutCopiesThenHalfDeletedThenRecreatedAtAnOldPathEachStepExactly() {
        Target t = new Target();
        t.batch(() -> {
            for (int i = 0; i < 10; i++) t.write("tree/sub/f" + i, "v1-" + i);
            t.write("tree/top", "top");
            t.mkdirs("tree/empty");
            t.write("other", "o");
        });
        t.batch(() -> t.moveUncopied("tree", "renamed"));
        t.batch(() -> {
            for (int i = 0; i < 5; i++) t.delete("renamed/sub/f" + i);
            t.write("renamed/sub/f7", "changed after the move");
            t.delete("renamed/top");
        });
        t.batch(() -> t.write("tree/sub/f3", "recreated"));
        t.batch(() -> t.write("tree/sub/f3", "rewritten"));
        t.assertEveryStepRestoresExactly();
        assertTrue(t.history.getOrDefault(t.batches.get(1), new TreeMap<>()).isEmpty(), "the move kept no copies");
        Instant beforeMove = Layout.batchTime(t.batches.get(1)).orElseThrow().minusMillis(1);
        RestorePlanner.Plan old = t.plan(beforeMove, List.of("tree/sub"));
        TreeMap<String, String> expected = new TreeMap<>(t.after.get(0).subMap("tree/sub", true, "tree/sub0", false));
        expected.put("tree", DIR); // rsync's implied directory
        assertEquals(expected, t.restored(old));
        RestorePlanner.Item f7 = old.items().stream().filter(i -> i.path().equals("tree/sub/f7")).findFirst().orElseThrow();
        assertEquals("renamed/sub/f7", f7.at()); // the copy the change after the move kept, under the new name
        assertEquals(RestorePlanner.Source.HISTORY, f7.source());
    }

    @Test void movedAgainAndBackEachStepExactly() {
        Target t = new Target();
        t.batch(() -> { t.write("a/x", "1"); t.write("a/d/y", "2"); });
        t.batch(() -> t.moveUncopied("a", "b"));
        t.batch(() -> t.moveUncopied("b", "c"));
        t.batch(() -> t.write("c/d/y", "3"));
        t.batch(() -> t.moveUncopied("c", "a"));
        t.batch(() -> t.delete("a/x"));
        t.assertEveryStepRestoresExactly();
    }

    @Test void aMovedFileWhoseLaterCopyWasPrunedIsReportedUnavailable() {
        Target t = new Target();
        t.batch(() -> t.write("a/x", "1"));
        t.batch(() -> t.moveUncopied("a", "b"));
        t.batch(() -> t.write("b/x", "2"));
        t.history.remove(t.batches.get(2)); // retention took the copy of b/x that the change kept
        RestorePlanner.Plan p = t.plan(Layout.batchTime(t.batches.get(1)).orElseThrow().minusMillis(1), List.of());
        assertEquals(List.of(new RestorePlanner.Unavailable("a/x", t.batches.get(1), Kind.MOVED)), p.unavailable());
    }

    @Test void aMoveWhoseLinksWereNotItemizedIsCoveredByItsCreatedDirectory() {
        Target t = new Target();
        t.batch(() -> { t.write("a/x", "1"); t.write("a/deep/y", "2"); });
        t.batch(() -> t.move("a", "b", false));
        t.batch(() -> t.write("b/x", "changed"));
        t.assertEveryStepRestoresExactly();
    }

    @Test void ransomwareRewritingEveryFileInPlaceIsUndoneByTheBatchBefore() {
        Target t = new Target();
        t.batch(() -> { for (int i = 0; i < 1000; i++) t.write("d" + i % 10 + "/f" + i, String.format("orig%04d", i)); });
        t.batch(() -> { for (int i = 0; i < 1000; i++) t.write("d" + i % 10 + "/f" + i, String.format("CRYPT%03d", i % 1000)); });
        t.assertEveryStepRestoresExactly();
        RestorePlanner.Plan p = t.plan(Layout.batchTime(t.batches.get(1)).orElseThrow().minusSeconds(1), List.of());
        assertEquals(1000, p.files());
        assertEquals(1000, p.items().stream().filter(i -> i.source() == RestorePlanner.Source.HISTORY).count());
        assertEquals(8000, p.bytes());
    }

    @Test void typeChangesAndDirectoriesDeletedAndRecreated() {
        Target t = new Target();
        t.batch(() -> { t.write("p", "file"); t.write("d/a", "a"); t.mkdirs("empty/inner"); });
        t.batch(() -> { t.write("p/inside", "now a dir"); t.delete("d"); t.delete("empty"); });
        t.batch(() -> { t.write("d/b", "b"); t.delete("p"); t.write("p", "file again"); });
        t.batch(() -> t.delete("d/b"));
        t.assertEveryStepRestoresExactly();
        RestorePlanner.Plan p = t.plan(Layout.batchTime(t.batches.get(0)).orElseThrow().plusMillis(1), List.of("empty"));
        assertEquals(List.of("empty", "empty/inner"), p.items().stream().map(RestorePlanner.Item::path).toList());
        assertTrue(p.items().stream().allMatch(i -> i.source() == RestorePlanner.Source.EMPTY_DIR));
    }

    /** A seeded random history of writes, deletes and moves: every step restores exactly. */
    @Test void aLongRandomHistoryRestoresEveryStep() {
        Random random = new Random(12);
        Target t = new Target();
        String[] dirs = {"a", "a/b", "c", "c/d/e", "f"};
        for (int s = 0; s < 120; s++) {
            int step = s;
            t.batch(() -> {
                for (int op = 0; op < 1 + random.nextInt(6); op++) {
                    String dir = dirs[random.nextInt(dirs.length)];
                    String file = dir + "/n" + random.nextInt(4);
                    int what = random.nextInt(10);
                    if (what < 5) t.write(file, "c" + random.nextInt(3));
                    else if (what < 8) t.delete(random.nextBoolean() ? file : dir);
                    else if (DIR.equals(t.mirror.get(dir)) && !t.mirror.containsKey("moved" + step)) t.move(dir, "moved" + step, true);
                }
            });
        }
        t.assertEveryStepRestoresExactly();
    }

    @Test void selectionRestoresOnlyThoseSubtrees() {
        Target t = new Target();
        t.batch(() -> { t.write("a/x", "1"); t.write("ab", "2"); t.write("b/y", "3"); });
        t.batch(() -> { t.delete("a"); t.delete("ab"); t.delete("b"); });
        RestorePlanner.Plan p = t.plan(T0.plusSeconds(15), List.of("a"));
        assertEquals(List.of("a", "a/x"), p.items().stream().map(RestorePlanner.Item::path).toList());
    }

    @Test void aBatchWhoseJournalWasLostStillRestoresWhatItKept() {
        Target t = new Target();
        t.batch(() -> { t.write("x", "1"); t.write("y", "2"); });
        t.batch(() -> { t.write("x", "changed"); t.delete("y"); });
        String lost = t.batches.get(1);
        t.journal.removeIf(e -> e.batch().equals(lost)); // killed after rsync, before the journal line
        assertEquals(t.after.get(0), t.restored(t.plan(T0.plusSeconds(15), List.of())));
        List<Versions.Version> v = Versions.of("y", t.historyListing(), t.journal);
        assertEquals(1, v.size());
        assertNull(v.get(0).kind());
    }

    @Test void aPrunedVersionIsReportedNotSilentlyTakenFromTheMirror() {
        Target t = new Target();
        t.batch(() -> { t.write("x", "1"); t.write("keep", "k"); });
        t.batch(() -> { t.write("x", "2"); t.mkdirs("gone"); });
        t.batch(() -> { t.write("x", "3"); t.delete("gone"); });
        t.history.remove(t.batches.get(1)); // pruned
        RestorePlanner.Plan p = t.plan(T0.plusSeconds(15), List.of());
        assertEquals(List.of(new RestorePlanner.Unavailable("x", t.batches.get(1), Kind.REPLACED)), p.unavailable());
        assertEquals(List.of("keep"), p.items().stream().map(RestorePlanner.Item::path).toList());
    }
}
