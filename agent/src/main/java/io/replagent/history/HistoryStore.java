package io.replagent.history;

import io.replagent.state.Target;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A target's history as a restore and {@code versions} read it: the mirror, the kept versions, the journal
 * segments uploaded there; and the pulls that bring paths back. {@link #of} picks the implementation: a local
 * directory is read directly, a daemon module through rsync, authenticated as the pushes are.
 */
public interface HistoryStore {

    /** The mirror: every path of the target but the reserved {@code .agent/}. */
    Map<String, Listing.Node> mirror() throws IOException;

    /** The kept versions ({@code .agent/history/}); empty when there are none (or they were deleted by hand). */
    Listing.History history() throws IOException;

    /** The journal segments uploaded to the target ({@code .agent/journal/}): name → content. */
    Map<String, byte[]> journal() throws IOException;

    /**
     * Pulls what the plan names into {@code to} (created when missing), with modes, times and links as kept, reporting
     * after each part of the pull.
     */
    void fetch(RestorePlanner.Plan plan, Path to, Progress progress) throws IOException;

    /** How far a restore got; called after each part of the pull. */
    @FunctionalInterface
    interface Progress {
        void done(long files, long bytes);
    }

    /**
     * @param env the agent's environment: a target's {@code password: {env: NAME}} is read from it and given to rsync
     *            in its environment, never in argv
     */
    static HistoryStore of(Target target, Map<String, String> env) throws IOException {
        TargetRsync rsync = new TargetRsync(target, env);
        if (target.endpoint() instanceof Target.Local local) return new LocalHistoryStore(local.path(), rsync);
        return new DaemonHistoryStore(rsync);
    }
}
