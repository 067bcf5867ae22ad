package io.replagent.replicate;

import io.replagent.state.Settings;
import io.replagent.state.State;
import io.replagent.state.Target;
import io.replagent.state.Watch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a reload changes, pure: watches by name removed, added, watched anew (another source, excludes or events: a new
 * watcher), or kept with their targets removed, added, retuned (a new pipeline that takes over the old one's queue)
 * or kept as they run. A watch whose own options changed (delay, rsync options, delete mode…) retunes all its
 * targets. Hooks are not part of a pipeline: a changed on_batch alone touches no target. Settings the running agent
 * cannot change (paths of its own files, the watch backend, metrics) are named for a restart.
 */
record ReloadPlan(List<String> removed, List<Watch> added, List<Watch> rewatched, Map<String, Targets> kept,
                  Optional<Settings.LogLevel> logLevel, List<String> needRestart) {

    /** One kept watch: its new definition and what happens to each of its targets. */
    record Targets(Watch watch, List<String> removed, List<Target> added, List<Target> retuned) {
        boolean changesNothing() {
            return removed.isEmpty() && added.isEmpty() && retuned.isEmpty();
        }
    }

    static ReloadPlan of(State running, State next) {
        Map<String, Watch> old = byName(running.watches());
        Map<String, Watch> now = byName(next.watches());
        List<String> removed = new ArrayList<>();
        List<Watch> added = new ArrayList<>();
        List<Watch> rewatched = new ArrayList<>();
        Map<String, Targets> kept = new LinkedHashMap<>();
        for (String name : old.keySet()) if (!now.containsKey(name)) removed.add(name);
        for (Watch w : now.values()) {
            Watch before = old.get(w.name());
            if (before == null) added.add(w);
            else if (!before.source().equals(w.source()) || !before.exclude().equals(w.exclude())
                    || !before.events().equals(w.events())) rewatched.add(w);
            else kept.put(w.name(), targets(before, w));
        }
        Settings a = running.settings();
        Settings b = next.settings();
        List<String> restart = new ArrayList<>();
        if (!Objects.equals(a.stateDir(), b.stateDir())) restart.add("settings.state_dir");
        if (!Objects.equals(a.statusFile(), b.statusFile())) restart.add("settings.status_file");
        if (!Objects.equals(a.controlSocket(), b.controlSocket())) restart.add("settings.control_socket");
        if (a.watchBackend() != b.watchBackend()) restart.add("settings.watch_backend");
        if (a.logFormat() != b.logFormat()) restart.add("settings.log.format");
        if (!a.metrics().equals(b.metrics())) restart.add("settings.metrics");
        return new ReloadPlan(removed, added, rewatched, kept,
                a.logLevel() == b.logLevel() ? Optional.empty() : Optional.of(b.logLevel()), restart);
    }

    private static Targets targets(Watch before, Watch after) {
        boolean optionsChanged = !withoutTargetsAndHooks(before).equals(withoutTargetsAndHooks(after));
        Map<String, Target> old = new LinkedHashMap<>();
        for (Target t : before.targets()) old.put(t.name(), t);
        List<String> removed = new ArrayList<>();
        List<Target> added = new ArrayList<>();
        List<Target> retuned = new ArrayList<>();
        for (Target t : after.targets()) {
            Target was = old.remove(t.name());
            if (was == null) added.add(t);
            else if (optionsChanged || !was.equals(t)) retuned.add(t);
        }
        removed.addAll(old.keySet());
        return new Targets(after, removed, added, retuned);
    }

    private static Watch withoutTargetsAndHooks(Watch w) {
        return new Watch(w.name(), w.source(), List.of(), w.events(), w.delay(), w.maxDelays(), w.maxProcesses(), w.delete(),
                w.exclude(), w.init(), w.rsync(), w.fullSyncInterval(), w.maxDelete(), w.auditInterval(), Optional.empty());
    }

    private static Map<String, Watch> byName(List<Watch> watches) {
        Map<String, Watch> out = new LinkedHashMap<>();
        for (Watch w : watches) out.put(w.name(), w);
        return out;
    }

    /** One line per change, for the log; empty when the reload changes nothing that runs. */
    List<String> describe() {
        List<String> lines = new ArrayList<>();
        for (String w : removed) lines.add("watch " + w + " removed");
        for (Watch w : added) lines.add("watch " + w.name() + " added (" + w.source() + ")");
        for (Watch w : rewatched) lines.add("watch " + w.name() + " watched anew (source, exclude or events changed)");
        kept.forEach((name, t) -> {
            for (String r : t.removed()) lines.add("watch " + name + " target " + r + " removed");
            for (Target a : t.added()) lines.add("watch " + name + " target " + a.name() + " added");
            for (Target r : t.retuned()) lines.add("watch " + name + " target " + r.name() + " retuned (its queue kept)");
        });
        logLevel.ifPresent(l -> lines.add("log level " + l.name().toLowerCase(java.util.Locale.ROOT)));
        return lines;
    }
}
