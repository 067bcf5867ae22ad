package io.replagent.replicate;

import io.replagent.state.InotifyLimits;
import io.replagent.state.Settings;
import io.replagent.state.State;
import io.replagent.state.Target;
import io.replagent.state.Watch;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

/**
 * Replicates one directory to one rsync daemon URL without a state file: what the benchmark plug-in runs until
 * {@code agent apply} replaces it. Usage: SOURCE rsync://USER@HOST:PORT/MODULE/ PASSWORD_FILE DELAY_SECONDS STATE_DIR
 */
public final class Standalone {

    private Standalone() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: Standalone SOURCE rsync://USER@HOST:PORT/MODULE/ PASSWORD_FILE DELAY_SECONDS STATE_DIR");
            System.exit(64);
        }
        URI url = URI.create(args[1]);
        String[] modulePath = url.getPath().replaceAll("^/+|/+$", "").split("/", 2);
        Target target = new Target(url.getHost() + "/" + modulePath[0], new Target.Daemon(
                url.getUserInfo() == null ? "" : url.getUserInfo(), url.getHost(), url.getPort() < 0 ? 873 : url.getPort(),
                modulePath[0], modulePath.length > 1 ? modulePath[1] : ""), Optional.of(Path.of(args[2])), Optional.empty());
        Duration delay = Duration.ofMillis(Math.round(Double.parseDouble(args[3]) * 1000));
        Watch watch = new Watch("bench", Path.of(args[0]), List.of(target),
                EnumSet.of(Watch.Event.CLOSE_WRITE, Watch.Event.CREATE, Watch.Event.DELETE, Watch.Event.MOVE, Watch.Event.ATTRIB),
                delay, 1000, 4, Watch.DeleteMode.TRUE, List.of(), true,
                new Watch.RsyncOptions(false, 0, Duration.ZERO, false, List.of()), Duration.ZERO, Watch.DeleteGuard.NONE);
        Path stateDir = Path.of(args[4]);
        State state = new State(1, new Settings(stateDir, stateDir.resolve("status.json"), stateDir.resolve("agent.sock"),
                Settings.LogLevel.INFO, new InotifyLimits(InotifyLimits.Ensure.CHECK, 0, 0, 0, null)),
                Optional.empty(), Optional.empty(), List.of(watch));
        Replication replication = Replication.create(state, System.getenv(), System.err);
        Runtime.getRuntime().addShutdownHook(new Thread(replication::stop, "shutdown"));
        replication.start();
        replication.runUntilStopped();
    }
}
