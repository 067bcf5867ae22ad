package io.replagent.replicate;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Why a target is paused. Several reasons can hold at once (an operator pauses a target whose source is lost); each
 * ends only by its own remedy (a held mass delete also when the source is back: it is counted again), and the most
 * serious one is shown. Pure: no clock, no threads.
 */
final class PauseState {

    /** In the order they are shown when several hold (the first is the most serious). */
    enum Reason {
        /** The watch's root went away: pushing now would send (and delete) against whatever is at the path. */
        SOURCE_LOST,
        /** A batch or a full sync would delete more than max_delete allows: held until an operator confirms. */
        MASS_DELETE,
        /** A permanent rsync error (bad credentials, unknown module): retrying cannot help until it is fixed. */
        ERROR,
        /** Paused by an operator. */
        OPERATOR;

        /** The status JSON's {@code pause_reason}. */
        String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Map<Reason, String> reasons = new EnumMap<>(Reason.class);

    void pause(Reason reason, String alert) {
        reasons.put(reason, alert);
    }

    /** The operator's resume: ends their own pause and an error's; a held mass delete and a lost source stay. */
    void resume() {
        reasons.remove(Reason.OPERATOR);
        reasons.remove(Reason.ERROR);
    }

    /**
     * The operator's retry: ends an error's pause (the cause was fixed); with {@code allowDeletes} also a held mass
     * delete. An operator's pause and a lost source stay.
     */
    void retry(boolean allowDeletes) {
        reasons.remove(Reason.ERROR);
        if (allowDeletes) reasons.remove(Reason.MASS_DELETE);
    }

    /**
     * The watch's root is back. A mass delete held before was counted against the tree that was at the path then;
     * the guarded full sync that follows counts again and holds again if it must.
     */
    void sourceBack() {
        reasons.remove(Reason.SOURCE_LOST);
        reasons.remove(Reason.MASS_DELETE);
    }

    boolean paused() {
        return !reasons.isEmpty();
    }

    boolean has(Reason reason) {
        return reasons.containsKey(reason);
    }

    /** The most serious reason, or null when not paused. */
    Reason reason() {
        return reasons.isEmpty() ? null : reasons.keySet().iterator().next();
    }

    /** The sentence of the most serious reason, or null. */
    String alert() {
        return reasons.isEmpty() ? null : reasons.values().iterator().next();
    }
}
