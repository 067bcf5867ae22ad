package io.replagent.system;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/** Signals the agent answers itself instead of the JVM's default (for SIGHUP: run the shutdown hooks, exit 129). */
public final class Signals {

    private Signals() {}

    /** What became of SIGHUP: answered by the agent, or not (and then what it does instead). */
    public enum Hangup {
        /** The action runs on every SIGHUP. */
        HANDLED,
        /**
         * The process was started with SIGHUP ignored (nohup, or a parent that ignores it: the disposition is inherited
         * across exec); the JVM keeps it ignored and installs nothing, so SIGHUP does nothing at all.
         */
        IGNORED,
        /** The JVM does not let Java have it (-Xrs): SIGHUP keeps its default action and ends the process at once. */
        RESERVED
    }

    /** Calls {@code action} on every SIGHUP, on a thread of the JVM's signal dispatcher, when it can; says whether. */
    public static Hangup onHangup(Runnable action) {
        try {
            // an ignored signal stays ignored: the JVM answers SIG_IGN and installs no handler (JDK 17)
            SignalHandler before = Signal.handle(new Signal("HUP"), signal -> action.run());
            return before == SignalHandler.SIG_IGN ? Hangup.IGNORED : Hangup.HANDLED;
        } catch (IllegalArgumentException reserved) {
            return Hangup.RESERVED;
        }
    }
}
