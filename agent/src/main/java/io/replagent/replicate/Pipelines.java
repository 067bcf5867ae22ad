package io.replagent.replicate;

import io.replagent.system.Log;
import io.replagent.history.TargetHistory;
import io.replagent.state.Secrets;
import io.replagent.state.State;
import io.replagent.state.Target;
import io.replagent.state.Watch;
import io.replagent.system.Processes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Builds every watch's target pipelines: rsync's environment per target, the queue file (and the queue an older agent
 * left under the old naming, read once), the backoff, and an ssh target's command files and shared connection (one per
 * account reached the same way: targets that share it share the handshake).
 */
final class Pipelines {

    private Pipelines() {}

    /**
     * @param runners  every target's runner, for killing them all at shutdown
     * @param withQueues the queue files are read and kept (false for a one-off audit beside a running agent)
     */
    static List<WatchRun> create(State state, Map<String, String> env, Log log, ActivityLog activity,
                                 List<RsyncRunner> runners, SshConnections connections, boolean withQueues) throws IOException {
        Path queues = withQueues ? queues(state) : null;
        Map<String, Integer> legacyClaims = new HashMap<>();
        for (Watch w : state.watches()) for (Target t : w.targets()) legacyClaims.merge(QueueName.legacy(w.name(), t.name()), 1, Integer::sum);
        List<Path> legacyRead = new ArrayList<>();
        List<WatchRun> watches = new ArrayList<>();
        for (Watch watch : state.watches()) {
            WatchRun run = new WatchRun(watch, log, activity);
            for (Target target : watch.targets()) {
                TargetPipeline pipeline = pipeline(watch, target, queues, env, log, activity, runners, connections);
                QueueFile queue = pipeline.queueFile();
                String legacyName = QueueName.legacy(watch.name(), target.name());
                Path legacy = queues == null ? null : queues.resolve(legacyName);
                boolean hasLegacy = legacy != null && !legacy.equals(queue.path()) && Files.exists(legacy) && !Files.exists(queue.path());
                // a file two pairs shared holds paths of both: neither may take it as its own
                if (hasLegacy && legacyClaims.get(legacyName) > 1) {
                    pipeline.fullSync(false);
                    log.warn("watch " + watch.name() + " target " + target.name() + ": the queue file " + legacy
                            + " of an older agent was shared with another watch/target: a full sync instead");
                }
                if (hasLegacy && legacyClaims.get(legacyName) == 1) pipeline.restoreQueue(new QueueFile(legacy), true);
                else if (queue != null && Files.exists(queue.path())) pipeline.restoreQueue(queue, false);
                if (hasLegacy) legacyRead.add(legacy);
                run.targets.add(pipeline);
            }
            watches.add(run);
        }
        for (Path legacy : legacyRead) Files.deleteIfExists(legacy); // read once: the queue lives under its new name now
        return watches;
    }

    /**
     * A reload's watch (added, or watched anew): its pipelines, each with what its queue file holds.
     *
     * @param queues the state's queue directory, null for none
     */
    static WatchRun create(Watch watch, Path queues, Map<String, String> env, Log log, ActivityLog activity,
                           List<RsyncRunner> runners, SshConnections connections) throws IOException {
        WatchRun run = new WatchRun(watch, log, activity);
        for (Target target : watch.targets()) run.targets.add(restored(watch, target, queues, env, log, activity, runners, connections));
        return run;
    }

    /** A reload's target pipeline with what its queue file holds. */
    static TargetPipeline restored(Watch watch, Target target, Path queues, Map<String, String> env, Log log,
                                   ActivityLog activity, List<RsyncRunner> runners, SshConnections connections) throws IOException {
        TargetPipeline pipeline = pipeline(watch, target, queues, env, log, activity, runners, connections);
        if (pipeline.queueFile() != null && Files.exists(pipeline.queueFile().path())) pipeline.restoreQueue(pipeline.queueFile(), false);
        return pipeline;
    }

    /** The state's queue directory, or null when queues are not kept. */
    static Path queues(State state) {
        return state.settings() == null || state.settings().stateDir() == null ? null : state.settings().stateDir().resolve("queue");
    }

    /** A target pipeline with an empty queue (a reload's retuned target takes over its predecessor's). */
    static TargetPipeline pipeline(Watch watch, Target target, Path queues, Map<String, String> env, Log log,
                                   ActivityLog activity, List<RsyncRunner> runners, SshConnections connections) throws IOException {
        RsyncRunner runner = new RsyncRunner(childEnvironment(target, env));
        runners.add(runner);
        String name = QueueName.of(watch.name(), target.name());
        QueueFile queue = queues == null ? null : new QueueFile(queues.resolve(name));
        // the history's journal spool lives in the state directory, beside the queues
        TargetHistory history = queues == null ? null : TargetHistory.of(target, queues.getParent(), watch.name(), env,
                (level, message) -> log.at(level, "watch " + watch.name() + " target " + target.name() + ": " + message))
                .orElse(null);
        return new TargetPipeline(watch.name(), watch, target, new TargetPipeline.Parts(runner,
                new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5), ThreadLocalRandom.current()::nextDouble),
                log, activity, queue, System::nanoTime, Clock.systemUTC(), connections.of(target),
                // the staging trees of renamed files live in the state directory, beside the queues
                queues == null ? null : queues.resolveSibling("renames").resolve(name)), history);
    }

    /** Not the agent's environment: it holds every {env: NAME} secret of the state, for all targets. */
    private static Map<String, String> childEnvironment(Target target, Map<String, String> env) throws IOException {
        Map<String, String> childEnv = Processes.inherited(env);
        childEnv.put("LANG", "C.UTF-8");
        if (target.password().isPresent()) childEnv.put("RSYNC_PASSWORD", Secrets.resolve(target.password().get(), env));
        return childEnv;
    }
}
