package io.replagent.system;

import sun.misc.Signal;

/** Signals the agent answers itself instead of the JVM's default (for SIGHUP: run the shutdown hooks, exit 129). */
public final class Signals {

    private Signals() {}

    /**
     * Calls {@code action} on every SIGHUP, on a thread of the JVM's signal dispatcher; the process keeps running.
     * With {@code -Xrs} the JVM leaves signals alone, and so does this.
     */
    public static void onHangup(Runnable action) {
        try {
            Signal.handle(new Signal("HUP"), signal -> action.run());
        } catch (IllegalArgumentException reserved) {
            // -Xrs, or the signal is taken: the JVM's behaviour stays
        }
    }
}
