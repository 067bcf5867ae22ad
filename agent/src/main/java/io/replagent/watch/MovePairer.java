package io.replagent.watch;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pairs MOVED_FROM with MOVED_TO by cookie, also across reads: a MOVED_FROM is held for {@code holdMillis};
 * unpaired after that it was a move out of the tree. Time is passed in, so the pairing is tested without sleeping.
 */
final class MovePairer {

    /** A MOVED_FROM waiting for its MOVED_TO. */
    record From(int cookie, String path, boolean dir, long atMillis) {}

    private final long holdMillis;
    private final Map<Integer, From> pending = new LinkedHashMap<>();

    MovePairer(long holdMillis) {
        this.holdMillis = holdMillis;
    }

    void movedFrom(int cookie, String path, boolean dir, long nowMillis) {
        pending.put(cookie, new From(cookie, path, dir, nowMillis));
    }

    /** @return the MOVED_FROM this MOVED_TO completes, or null (a move into the tree) */
    From movedTo(int cookie) {
        return pending.remove(cookie);
    }

    /** Removes and returns the moves out of the tree: held longer than the hold time (all of them when flushing). */
    List<From> expired(long nowMillis, boolean flush) {
        List<From> out = new ArrayList<>();
        for (Iterator<From> it = pending.values().iterator(); it.hasNext(); ) {
            From f = it.next();
            if (flush || nowMillis - f.atMillis >= holdMillis) {
                out.add(f);
                it.remove();
            }
        }
        return out;
    }

    /** Milliseconds until the next MOVED_FROM expires, or -1 when none is held. */
    long nextDeadline(long nowMillis) {
        long next = -1;
        for (From f : pending.values()) {
            long left = Math.max(0, f.atMillis + holdMillis - nowMillis);
            next = next < 0 ? left : Math.min(next, left);
        }
        return next;
    }
}
