package io.replagent.history;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The kept versions of a path (or of every path below a directory), newest first. */
public final class Versions {

    /**
     * A copy kept by batch {@code batch}: the content the path had until then.
     *
     * @param kind    REPLACED or DELETED as the journal says; null when the journal has no line for it; MOVED: a file of
     *                a renamed directory whose content until then is that of {@code movedTo} right after (no copy of its
     *                own: {@code size} is -1; a restore as of a time before the batch brings it back)
     * @param movedTo the new name of a MOVED file, else null
     */
    public record Version(String path, Instant time, String batch, long size, Journal.Kind kind, String movedTo) {
        public Version(String path, Instant time, String batch, long size, Journal.Kind kind) {
            this(path, time, batch, size, kind, null);
        }
    }

    private Versions() {}

    public static List<Version> of(String path, Listing.History history, List<Journal.Entry> journal) {
        List<String> selection = List.of(path);
        Map<String, Journal.Kind> kinds = new HashMap<>();
        List<Version> out = new ArrayList<>();
        for (Journal.Entry e : journal) {
            if (!RestorePlanner.selected(e.path(), selection)) continue;
            if (e.kind().saves()) kinds.put(e.batch() + "\0" + e.path(), e.kind());
            if (e.kind() == Journal.Kind.MOVED) {
                out.add(new Version(e.path(), Layout.batchTime(e.batch()).orElseThrow(), e.batch(), -1, e.kind(), e.to()));
            }
        }
        history.batches().forEach((batch, nodes) -> nodes.forEach((p, n) -> {
            if (n.type() == Listing.Type.DIR || !RestorePlanner.selected(p, selection)) return;
            out.add(new Version(p, Layout.batchTime(batch).orElseThrow(), batch, n.size(), kinds.get(batch + "\0" + p)));
        }));
        out.sort(Comparator.comparing(Version::batch).reversed().thenComparing(Version::path));
        return out;
    }
}
