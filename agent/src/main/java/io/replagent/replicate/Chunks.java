package io.replagent.replicate;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a batch's entries for parallel rsyncs: never more than {@code maxPaths} paths in one rsync's list, and a
 * large batch spread over up to {@code processes} rsyncs (but never chunks smaller than {@code minPaths}: a process
 * start costs more than it saves). Entries are kept in path order, so each chunk covers neighbouring paths.
 */
final class Chunks {

    private Chunks() {}

    static <T> List<List<T>> split(List<T> items, int maxPaths, int processes, int minPaths) {
        int n = items.size();
        if (n == 0) return List.of();
        int bySize = (n + maxPaths - 1) / maxPaths;
        int byParallelism = Math.min(Math.max(1, processes), Math.max(1, n / Math.max(1, minPaths)));
        int count = Math.max(bySize, byParallelism);
        List<List<T>> chunks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int from = (int) ((long) n * i / count);
            int to = (int) ((long) n * (i + 1) / count);
            chunks.add(items.subList(from, to));
        }
        return chunks;
    }
}
