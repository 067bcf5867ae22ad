package io.replagent.history;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which copy of each path a restore as of a time takes. For each path: the version current at TIME, that is the
 * mirror's copy if no batch at or after TIME touched the path, else the copy the first such batch kept; a path that
 * batch created (itself, or a directory above it) did not exist at TIME and is not restored.
 * <p>
 * The history listing is the truth about kept copies (a batch whose journal lines were lost in a crash still has its
 * directory); the journal adds what the history cannot say: creations, and whether a copy was replaced or deleted.
 */
public final class RestorePlanner {

    /** Where a restored path comes from. */
    public enum Source { MIRROR, HISTORY, EMPTY_DIR }

    /**
     * One path to restore.
     *
     * @param batch the history batch to fetch from (HISTORY), or the batch that deleted an empty directory (EMPTY_DIR)
     */
    public record Item(String path, Listing.Node node, Source source, String batch) {}

    /** A path that existed at TIME whose copy is no longer kept (pruned, or the history deleted by hand). */
    public record Unavailable(String path, String batch, Journal.Kind kind) {}

    public record Plan(List<Item> items, List<Unavailable> unavailable) {
        public long bytes() {
            return items.stream().filter(i -> i.node().type() != Listing.Type.DIR).mapToLong(i -> i.node().size()).sum();
        }

        public long files() {
            return items.stream().filter(i -> i.node().type() != Listing.Type.DIR).count();
        }
    }

    /** The first event at or after TIME on a path: saved (the batch kept its copy) or created. */
    private record First(String batch, boolean saves, Journal.Kind kind, boolean dir) {}

    private RestorePlanner() {}

    /**
     * @param asOf      the time to restore, null for the newest state (the mirror as it is)
     * @param selection raw paths to restore (each with everything below it); empty for the whole tree
     */
    public static Plan plan(Map<String, Listing.Node> mirror, Listing.History history, List<Journal.Entry> journal,
                            Instant asOf, List<String> selection) {
        if (asOf == null) {
            List<Item> items = new ArrayList<>();
            mirror.forEach((p, n) -> {
                if (selected(p, selection)) items.add(new Item(p, n, Source.MIRROR, null));
            });
            items.sort((a, b) -> a.path().compareTo(b.path()));
            return new Plan(items, List.of());
        }
        String from = Layout.batch(asOf);
        Map<String, First> first = new HashMap<>();
        Map<String, String> dirCreated = new HashMap<>();
        for (Journal.Entry e : journal) {
            if (e.batch().compareTo(from) < 0) continue;
            note(first, e.path(), new First(e.batch(), e.kind().saves(), e.kind(), e.dir()));
            if (e.kind() == Journal.Kind.CREATED && e.dir()) dirCreated.merge(e.path(), e.batch(), RestorePlanner::min);
        }
        history.batches().tailMap(from, true).forEach((batch, nodes) -> nodes.forEach((p, n) -> {
            if (n.type() != Listing.Type.DIR) note(first, p, new First(batch, true, null, false));
        }));

        Set<String> paths = new TreeSet<>(mirror.keySet());
        paths.addAll(first.keySet());
        List<Item> items = new ArrayList<>();
        List<Unavailable> unavailable = new ArrayList<>();
        for (String p : paths) {
            if (!selected(p, selection)) continue;
            First own = first.get(p);
            String ancestor = createdAbove(p, dirCreated);
            if (ancestor != null && (own == null || ancestor.compareTo(own.batch()) < 0)) continue;
            if (own == null) {
                Listing.Node n = mirror.get(p);
                if (n != null) items.add(new Item(p, n, Source.MIRROR, null));
                continue;
            }
            if (!own.saves()) continue;
            Listing.Node kept = history.batches().getOrDefault(own.batch(), Map.of()).get(p);
            if (kept != null) items.add(new Item(p, kept, Source.HISTORY, own.batch()));
            else if (own.dir()) items.add(new Item(p, new Listing.Node(Listing.Type.DIR, 0), Source.EMPTY_DIR, own.batch()));
            else unavailable.add(new Unavailable(p, own.batch(), own.kind()));
        }
        return new Plan(items, unavailable);
    }

    /** Keeps the earliest event of a path; within one batch a kept copy wins (the path existed before the batch). */
    private static void note(Map<String, First> first, String path, First e) {
        first.merge(path, e, (a, b) -> {
            int c = a.batch().compareTo(b.batch());
            if (c != 0) return c < 0 ? a : b;
            if (a.saves() != b.saves()) return a.saves() ? a : b;
            return a.kind() != null ? a : b;
        });
    }

    /** The earliest batch at or after TIME that created a directory above the path, or null. */
    private static String createdAbove(String path, Map<String, String> dirCreated) {
        if (dirCreated.isEmpty()) return null;
        String found = null;
        for (int slash = path.lastIndexOf('/'); slash > 0; slash = path.lastIndexOf('/', slash - 1)) {
            String b = dirCreated.get(path.substring(0, slash));
            if (b != null) found = found == null ? b : min(found, b);
        }
        return found;
    }

    static boolean selected(String path, List<String> selection) {
        if (selection.isEmpty()) return true;
        for (String s : selection) {
            if (s.isEmpty() || path.equals(s) || path.startsWith(s + "/")) return true;
        }
        return false;
    }

    private static String min(String a, String b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
