package io.replagent.replicate;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ChunksTest {

    /** items, maxPaths, processes, minPaths → chunk sizes. */
    private static final int[][] CASES = {
            {0, 10, 4, 2},
            {5, 10, 4, 1, 1, 1, 1, 2},          // spread over the processes
            {5, 10, 4, 2, 2, 3},                // but not below minPaths each
            {5, 10, 4, 100, 5},                 // too small to split
            {25, 10, 1, 1, 8, 8, 9},            // one process, but never more than maxPaths
            {1000, 500, 8, 200, 200, 200, 200, 200, 200},
            {1000, 100, 2, 1, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100},
    };

    @Test void sizes() {
        for (int[] c : CASES) {
            List<Integer> items = IntStream.range(0, c[0]).boxed().toList();
            List<List<Integer>> chunks = Chunks.split(items, c[1], c[2], c[3]);
            int[] expected = java.util.Arrays.copyOfRange(c, 4, c.length);
            assertEquals(java.util.Arrays.toString(expected),
                    chunks.stream().map(List::size).toList().toString().replace(" ", "").replace(",", ", "),
                    java.util.Arrays.toString(c));
            assertEquals(items, chunks.stream().flatMap(List::stream).toList(), "order kept, nothing lost");
        }
    }
}
