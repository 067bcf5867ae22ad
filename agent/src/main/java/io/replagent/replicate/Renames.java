package io.replagent.replicate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files renamed in the tree since a target's last batch, pure: per new name (the source's, now), the name under
 * which the target has the file. Chains are followed (a→b, then b→c is a→c); a new name that is replaced or renamed
 * onto drops its pair (its data is gone); a directory moved later carries the new names below it along. A pair
 * only ever saves bytes: the job planner builds the new name on the basis of the target's copy of the old one
 * (see {@link RenameStaging}), and rsync's checksums decide what the file holds.
 */
final class Renames {

    /** A file the target has at {@code from} that the source has at {@code to} now. */
    record Rename(String from, String to) {}

    /** Old name (the target's) by new name (the source's), in the order the renames came. */
    private final Map<String, String> fromByTo = new LinkedHashMap<>();

    /**
     * A file renamed from {@code from} to {@code to} in the source.
     *
     * @param onTarget where the target has what {@code from} holds (its old name, through directory moves not sent
     *                 yet), or null when the target's copy is not known to be current (new, or changed since sent)
     */
    void renamed(String from, String to, String onTarget) {
        String origin = fromByTo.remove(from);
        if (origin == null) origin = onTarget;
        fromByTo.remove(to);
        if (origin != null && !origin.equals(to)) fromByTo.put(to, origin);
    }

    /** A directory moved in the source: the new names below {@code from} are below {@code to} now. */
    void movedDirectory(String from, String to) {
        String prefix = from + "/";
        Map<String, String> moved = new LinkedHashMap<>();
        fromByTo.entrySet().removeIf(e -> {
            if (!e.getKey().startsWith(prefix)) return false;
            moved.put(to + e.getKey().substring(from.length()), e.getValue());
            return true;
        });
        fromByTo.putAll(moved);
    }

    /** Every pair, leaving none. */
    List<Rename> take() {
        List<Rename> out = new ArrayList<>();
        fromByTo.forEach((to, from) -> out.add(new Rename(from, to)));
        fromByTo.clear();
        return out;
    }

    /** A full sync sends everything: no pair is needed. */
    void clear() {
        fromByTo.clear();
    }

    /**
     * Puts back the pairs of a batch that did not deliver their new names, before the newer ones. The target does not
     * have those new names, so a newer pair whose old name is one of them continues it; a new name renamed onto since
     * keeps the newer pair.
     */
    void requeue(List<Rename> back) {
        Map<String, String> merged = new LinkedHashMap<>();
        for (Rename r : back) merged.put(r.to(), r.from());
        Map<String, String> newer = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : fromByTo.entrySet()) {
            String origin = merged.remove(e.getValue());
            newer.put(e.getKey(), origin != null ? origin : e.getValue());
        }
        newer.keySet().forEach(merged::remove);
        merged.putAll(newer);
        merged.entrySet().removeIf(e -> e.getKey().equals(e.getValue()));
        fromByTo.clear();
        fromByTo.putAll(merged);
    }
}
