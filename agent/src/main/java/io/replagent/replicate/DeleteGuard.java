package io.replagent.replicate;

import io.replagent.state.Watch;

/**
 * The mass-delete guard (max_delete), pure. A live batch is checked before it runs, against the files left under the
 * source. A full sync cannot be counted beforehand: it runs first with rsync's {@code --max-delete=0}, which sends
 * everything and deletes nothing but reports how many deletions it skipped; then the deletions either follow in a
 * second pass or are held.
 */
final class DeleteGuard {

    /** Regular files under the source, counted only as far as {@code enough} (a bounded walk). */
    interface FileCount {
        long atLeast(long enough);
    }

    /** The verdict on a full sync's skipped deletions: a second pass with this limit, or held with why. */
    record Verdict(long limit, String held) {
        boolean allowed() {
            return held == null;
        }
    }

    static final String HELD = "mass delete held: ";

    private DeleteGuard() {}

    /** Null when a batch's {@code deletes} are within the guard, else why it is held. */
    static String batch(Watch.DeleteGuard guard, long deletes, boolean confirmed, FileCount files) {
        if (guard == null || !guard.guardsBatches() || deletes == 0 || confirmed) return null;
        if (guard.count() > 0 && deletes > guard.count())
            return HELD + deletes + " deletes in one batch, max_delete allows " + guard.count();
        if (guard.percent() > 0) {
            // deletes may be at most percent of (remaining + deletes): enough remaining files settle it
            long enough = (deletes * (100 - guard.percent()) + guard.percent() - 1) / guard.percent();
            long remaining = files.atLeast(enough);
            long before = remaining + deletes;
            if (deletes * 100 > (long) guard.percent() * before)
                return HELD + deletes + " of " + before + " files deleted in one batch, max_delete allows " + guard.percent() + "%";
        }
        return null;
    }

    /** rsync's --max-delete for a full sync's first pass: 0 (count first) when guarded, -1 for no limit. */
    static long firstPass(Watch.DeleteGuard guard, boolean confirmed) {
        return guard == null || !guard.enabled() || confirmed ? -1 : 0;
    }

    /**
     * @param skipped      deletions the first pass skipped (rsync's "Deletions stopped ... (N skipped)")
     * @param targetBefore entries on the target before the sync (sent list − created + skipped)
     */
    static Verdict fullSync(Watch.DeleteGuard guard, boolean initial, long skipped, long targetBefore) {
        String what = initial ? "the initial sync" : "a full sync";
        if (guard.count() > 0 && skipped > guard.count())
            return new Verdict(0, HELD + what + " would delete " + skipped + " entries on the target, max_delete allows "
                    + guard.count() + "; nothing was deleted");
        long limit = guard.count() > 0 ? guard.count() : skipped;
        if (guard.percent() > 0) {
            long allowed = targetBefore * guard.percent() / 100;
            if (skipped > allowed)
                return new Verdict(0, HELD + what + " would delete " + skipped + " of " + targetBefore + " entries on the target"
                        + " (" + skipped * 100 / Math.max(1, targetBefore) + "%), max_delete allows " + guard.percent()
                        + "%; nothing was deleted");
            limit = guard.count() > 0 ? Math.min(guard.count(), allowed) : allowed;
        }
        return new Verdict(limit, null);
    }
}
