package io.replagent.replicate;

import io.replagent.state.State;
import io.replagent.state.Target;
import io.replagent.state.Watch;
import io.replagent.system.Log;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A reloaded state applied to what runs ({@link ReloadPlan} says what changes): watches and targets removed, added or
 * retuned, nothing lost of what the remaining ones hold (a retuned target's new pipeline takes over the queue, the
 * failure queue and an operator's pause of the old one; an unchanged target is not touched). Everything new is built
 * and watched before anything old stops: a watch that cannot be set up fails the reload, and all goes on as it was.
 */
final class Reload {

    private final ReloadPlan plan;
    private final Runs runs;
    private final Path queues;
    private final Map<String, String> env;
    private final Log log;
    private final ActivityLog activity;
    private final SshConnections connections;

    Reload(ReloadPlan plan, State next, Runs runs, Map<String, String> env, Log log, ActivityLog activity,
           SshConnections connections) {
        this.plan = plan;
        this.runs = runs;
        this.queues = Pipelines.queues(next);
        this.env = env;
        this.log = log;
        this.activity = activity;
        this.connections = connections;
    }

    /**
     * @return one line per change; settings that need a restart are named last
     * @throws IOException when a new watch or target cannot be set up (the message names it); nothing was changed
     */
    List<String> apply() throws IOException {
        List<WatchRun> fresh = new ArrayList<>();
        for (Watch w : plan.added()) fresh.add(Pipelines.create(w, queues, env, log, activity, runs.runners, connections));
        for (Watch w : plan.rewatched()) {
            WatchRun run = new WatchRun(w, log, activity);
            for (Target t : w.targets()) run.targets.add(pipeline(w, t));
            fresh.add(run);
        }
        runs.watchAll(fresh);
        Map<String, ReloadPlan.Targets> kept = plan.kept();
        Map<String, List<TargetPipeline>> keptNew = new LinkedHashMap<>();
        for (ReloadPlan.Targets t : kept.values()) {
            List<TargetPipeline> built = new ArrayList<>();
            for (Target a : t.added()) built.add(Pipelines.restored(t.watch(), a, queues, env, log, activity, runs.runners, connections));
            for (Target r : t.retuned()) built.add(pipeline(t.watch(), r));
            keptNew.put(t.watch().name(), built);
        }
        // from here on nothing fails: stop what goes, start what comes
        for (String name : plan.removed()) runs.retire(runs.find(name), false);
        for (Watch w : plan.rewatched()) rewatch(w, fresh);
        for (WatchRun w : fresh) {
            runs.watches.add(w);
            boolean rewatched = plan.rewatched().contains(w.watch);
            for (TargetPipeline t : w.targets) {
                if (w.watch.init() || rewatched) t.fullSync(w.watch.init()); // a new watcher: the gap is covered
                runs.run(w, t);
            }
        }
        kept.forEach((name, t) -> retarget(runs.find(name), t, keptNew.get(name)));
        List<String> lines = new ArrayList<>(plan.describe());
        if (!plan.needRestart().isEmpty()) lines.add("not changed until a restart: " + String.join(", ", plan.needRestart()));
        return lines;
    }

    private TargetPipeline pipeline(Watch w, Target t) throws IOException {
        return Pipelines.pipeline(w, t, queues, env, log, activity, runs.runners, connections);
    }

    /** A watch whose watcher changes: the old one retires, its targets' queues go to the new pipelines. */
    private void rewatch(Watch w, List<WatchRun> fresh) {
        WatchRun old = runs.find(w.name());
        Map<String, TargetPipeline.Handover> handed = runs.retire(old, !old.watch.source().equals(w.source()));
        WatchRun run = fresh.stream().filter(f -> f.watch.name().equals(w.name())).findFirst().orElseThrow();
        for (TargetPipeline t : run.targets) {
            TargetPipeline.Handover h = handed.get(t.name());
            if (h != null) t.takeOver(h);
        }
    }

    /** A watch that keeps its watcher: its targets added, retuned (taking over the old pipeline's) and removed. */
    private void retarget(WatchRun run, ReloadPlan.Targets t, List<TargetPipeline> built) {
        run.watch = t.watch();
        for (TargetPipeline p : built) {
            TargetPipeline old = run.targets.stream().filter(o -> o.name().equals(p.name())).findFirst().orElse(null);
            run.targets.add(p); // the watcher marks both until the old one is gone
            if (old != null) {
                run.targets.remove(old);
                p.takeOver(runs.finish(old));
            } else if (t.watch().init()) {
                p.fullSync(true); // a new target: its initial sync
            }
            runs.run(run, p);
        }
        for (String gone : t.removed()) {
            TargetPipeline old = run.targets.stream().filter(o -> o.name().equals(gone)).findFirst().orElseThrow();
            run.targets.remove(old);
            runs.finish(old);
        }
    }
}
