package io.replagent.history;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which copy of each path a restore as of a time takes. For each path: the version current at TIME, that is the
 * mirror's copy if no batch at or after TIME touched the path, else the copy the first such batch kept; a path that
 * batch created (itself, or a directory above it) did not exist at TIME and is not restored. A path that batch moved
 * away (a file of a renamed directory, deleted without a copy once linked to its new name) held until then what its
 * new name held right after: that name's copy kept by the next batch that touched it, or the mirror's, or, moved
 * again, the same question one name further.
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
     * @param at    the name the copy has in its source (the mirror or the batch): {@code path}, or the new name of a
     *              moved file, which then ends with the same names below the moved directory as {@code path}
     */
    public record Item(String path, Listing.Node node, Source source, String batch, String at) {
        public Item(String path, Listing.Node node, Source source, String batch) {
            this(path, node, source, batch, path);
        }
    }

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

    /** An event at or after TIME on a path: saved (the batch kept its copy), created or moved ({@code to}). */
    private record Event(String batch, boolean saves, Journal.Kind kind, boolean dir, String to) {}

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
        Map<String, NavigableMap<String, Event>> events = new HashMap<>();
        Map<String, String> dirCreated = new HashMap<>();
        for (Journal.Entry e : journal) {
            if (e.batch().compareTo(from) < 0) continue;
            note(events, e.path(), new Event(e.batch(), e.kind().saves(), e.kind(), e.dir(), e.to()));
            if (e.kind() == Journal.Kind.CREATED && e.dir()) dirCreated.merge(e.path(), e.batch(), RestorePlanner::min);
        }
        history.batches().tailMap(from, true).forEach((batch, nodes) -> nodes.forEach((p, n) -> {
            if (n.type() != Listing.Type.DIR) note(events, p, new Event(batch, true, null, false, null));
        }));

        Set<String> paths = new TreeSet<>(mirror.keySet());
        paths.addAll(events.keySet());
        List<Item> items = new ArrayList<>();
        List<Unavailable> unavailable = new ArrayList<>();
        for (String p : paths) {
            if (!selected(p, selection)) continue;
            NavigableMap<String, Event> own = events.get(p);
            Event first = own == null ? null : own.firstEntry().getValue();
            String ancestor = createdAbove(p, dirCreated);
            if (ancestor != null && (first == null || ancestor.compareTo(first.batch()) < 0)) continue;
            if (first == null) {
                Listing.Node n = mirror.get(p);
                if (n != null) items.add(new Item(p, n, Source.MIRROR, null));
                continue;
            }
            if (first.kind() == Journal.Kind.MOVED) {
                Item moved = movedCopy(p, first, events, mirror, history);
                if (moved != null) items.add(moved);
                else unavailable.add(new Unavailable(p, first.batch(), first.kind()));
                continue;
            }
            if (!first.saves()) continue;
            Listing.Node kept = history.batches().getOrDefault(first.batch(), Map.of()).get(p);
            if (kept != null) items.add(new Item(p, kept, Source.HISTORY, first.batch()));
            else if (first.dir()) items.add(new Item(p, new Listing.Node(Listing.Type.DIR, 0), Source.EMPTY_DIR, first.batch()));
            else unavailable.add(new Unavailable(p, first.batch(), first.kind()));
        }
        return new Plan(items, unavailable);
    }

    /**
     * The copy of moved path {@code p}: its new name's state right after the move, that is the first event on the new
     * name in a later batch (a kept copy, or a move again: one name further), else the mirror's. Null when none is
     * there (pruned, or the new name created again: the linked copy is gone). Batches only grow along the way, so
     * this ends.
     */
    private static Item movedCopy(String p, Event moved, Map<String, NavigableMap<String, Event>> events,
                                  Map<String, Listing.Node> mirror, Listing.History history) {
        String at = moved.to();
        String after = moved.batch();
        while (true) {
            NavigableMap<String, Event> on = events.get(at);
            Map.Entry<String, Event> next = on == null ? null : on.higherEntry(after);
            if (next == null) {
                Listing.Node n = mirror.get(at);
                return n == null || n.type() == Listing.Type.DIR ? null : new Item(p, n, Source.MIRROR, null, at);
            }
            Event e = next.getValue();
            if (e.kind() == Journal.Kind.MOVED) {
                at = e.to();
                after = e.batch();
                continue;
            }
            if (!e.saves()) return null;
            Listing.Node kept = history.batches().getOrDefault(e.batch(), Map.of()).get(at);
            return kept == null || kept.type() == Listing.Type.DIR ? null : new Item(p, kept, Source.HISTORY, e.batch(), at);
        }
    }

    /** Keeps each batch's event of a path; within one batch a kept copy wins (the path existed before the batch). */
    private static void note(Map<String, NavigableMap<String, Event>> events, String path, Event e) {
        events.computeIfAbsent(path, k -> new TreeMap<>()).merge(e.batch(), e, (a, b) -> {
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
