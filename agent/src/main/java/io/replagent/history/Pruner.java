package io.replagent.history;

import io.replagent.state.Retention;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What retention deletes from a target's history: whole batches older than {@code keep}; the copies of a path beyond
 * its newest {@code max_versions}; then the oldest batches while the history is over {@code max_size}; and the journal
 * segments no restore inside retention needs. It names only batches and segments, never a path of the mirror.
 */
public final class Pruner {

    /**
     * @param batches  batch directories to delete whole
     * @param copies   single copies to delete, by batch (a batch left with none is in {@code batches} instead)
     * @param segments journal segments to delete
     * @param horizon  the earliest time a restore is still exact for after this pruning by age and size (null: all of
     *                 history; max_versions thins single paths and moves no horizon)
     */
    public record Plan(List<String> batches, Map<String, List<String>> copies, List<String> segments, Instant horizon,
                       long bytesFreed) {
        public boolean isEmpty() {
            return batches.isEmpty() && copies.isEmpty() && segments.isEmpty();
        }
    }

    private Pruner() {}

    /**
     * How often retention runs: a twentieth of {@code keep} (a short keep is honoured closely), between a minute and an
     * hour; hourly for count and size limits alone.
     */
    public static Duration interval(Retention retention) {
        if (retention.keep().isZero()) return Duration.ofHours(1);
        Duration d = retention.keep().dividedBy(20);
        if (d.compareTo(Duration.ofMinutes(1)) < 0) return Duration.ofMinutes(1);
        return d.compareTo(Duration.ofHours(1)) > 0 ? Duration.ofHours(1) : d;
    }

    /**
     * @param segments the journal segments on the target: name → the newest batch it holds (the newest segment,
     *                 still being written, is never deleted)
     */
    public static Plan plan(Listing.History history, Map<String, String> segments, Retention retention, Instant now) {
        NavigableMap<String, Map<String, Listing.Node>> live = new TreeMap<>();
        history.batches().forEach((b, nodes) -> live.put(b, new TreeMap<>(nodes)));
        List<String> whole = new ArrayList<>();
        Map<String, List<String>> copies = new LinkedHashMap<>();
        long freed = 0;
        String horizon = null;

        if (!retention.keep().isZero()) {
            horizon = Layout.batch(now.minus(retention.keep()));
            for (String b : new ArrayList<>(live.headMap(horizon, false).keySet())) {
                freed += bytes(live.remove(b));
                whole.add(b);
            }
        }
        if (retention.maxVersions() > 0) {
            Map<String, List<String>> byPath = new HashMap<>(); // path → batches, oldest first
            live.forEach((b, nodes) -> nodes.forEach((p, n) -> {
                if (n.type() != Listing.Type.DIR) byPath.computeIfAbsent(p, x -> new ArrayList<>()).add(b);
            }));
            for (Map.Entry<String, List<String>> e : new TreeMap<>(byPath).entrySet()) {
                List<String> bs = e.getValue();
                for (String b : bs.subList(0, Math.max(0, bs.size() - retention.maxVersions()))) {
                    freed += live.get(b).remove(e.getKey()).size();
                    copies.computeIfAbsent(b, x -> new ArrayList<>()).add(e.getKey());
                }
            }
            for (String b : new ArrayList<>(copies.keySet())) {
                if (live.get(b).values().stream().allMatch(n -> n.type() == Listing.Type.DIR)) {
                    live.remove(b);
                    copies.remove(b);
                    whole.add(b);
                }
            }
        }
        if (retention.maxSize() > 0) {
            long total = 0;
            for (Map<String, Listing.Node> nodes : live.values()) total += bytes(nodes);
            while (total > retention.maxSize() && !live.isEmpty()) {
                Map.Entry<String, Map<String, Listing.Node>> oldest = live.pollFirstEntry();
                long b = bytes(oldest.getValue());
                total -= b;
                freed += b;
                copies.remove(oldest.getKey());
                whole.add(oldest.getKey());
                if (horizon == null || oldest.getKey().compareTo(horizon) > 0) horizon = oldest.getKey();
            }
        }

        List<String> deadSegments = new ArrayList<>();
        if (horizon != null && !segments.isEmpty()) {
            String newestSegment = new TreeSet<>(segments.keySet()).last();
            for (Map.Entry<String, String> s : new TreeMap<>(segments).entrySet()) {
                if (!s.getKey().equals(newestSegment) && s.getValue().compareTo(horizon) < 0) deadSegments.add(s.getKey());
            }
        }
        whole.sort(null);
        return new Plan(whole, copies, deadSegments, horizon == null ? null : Layout.batchTime(horizon).orElseThrow(), freed);
    }

    private static long bytes(Map<String, Listing.Node> nodes) {
        long n = 0;
        for (Listing.Node node : nodes.values()) if (node.type() != Listing.Type.DIR) n += node.size();
        return n;
    }
}
