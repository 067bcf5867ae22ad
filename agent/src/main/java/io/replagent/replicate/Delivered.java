package io.replagent.replicate;

import java.time.Instant;
import java.util.List;

/**
 * A batch one target received in full: what a hook is told.
 *
 * @param paths   the raw paths (one char per byte) the batch delivered, relative to the source; a directory sent with
 *                everything in it (new, moved, or collapsed) ends in '/'; empty for a full sync
 * @param full    a full sync of the whole tree (initial, after an overflow, periodic)
 */
public record Delivered(String watch, String source, String target, String destination, String kind, boolean full,
                        List<String> paths, long files, long bytes, double seconds, Instant at) {
    public Delivered {
        paths = List.copyOf(paths);
    }
}
