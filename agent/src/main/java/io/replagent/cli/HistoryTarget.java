package io.replagent.cli;

import io.replagent.history.HistoryStore;
import io.replagent.history.JournalSpool;
import io.replagent.state.State;
import io.replagent.state.Target;
import io.replagent.state.Watch;
import io.replagent.tree.RawNames;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What versions and restore share: {@code FILE WATCH} with {@code --target NAME} (default: the watch's one target that
 * keeps history), the target's history store, the journal tail this host holds, and paths given relative to the
 * source (or absolute under it) as raw paths.
 */
record HistoryTarget(Watch watch, Target target, HistoryStore store, JournalSpool spool) {

    static CommandSpec addTo(CommandSpec spec) {
        StateFileOptions.addTo(spec);
        spec.addPositional(Specs.positional("WATCH", "1", String.class, "the watch (its name in the state file)"));
        spec.addOption(Specs.option("--target", "NAME", String.class, "the target to read history from (default: the "
                + "watch's target that keeps history, when it has one only)"));
        return spec;
    }

    /** The watch's target with history, or empty after telling why on stderr. */
    static Optional<HistoryTarget> of(Args args, Io io, String command) {
        Optional<io.replagent.state.StateFile.Loaded> loaded = StateFileOptions.of(args).load(io);
        if (loaded.isEmpty()) return Optional.empty();
        State state = loaded.get().state();
        String name = args.positional(1);
        Optional<Watch> watch = state.watches().stream().filter(w -> w.name().equals(name)).findFirst();
        if (watch.isEmpty()) {
            io.err().println(command + ": no watch '" + name + "' in the state (watches: "
                    + String.join(", ", state.watches().stream().map(Watch::name).toList()) + ")");
            return Optional.empty();
        }
        String wanted = args.value("--target");
        List<Target> candidates = watch.get().targets().stream()
                .filter(t -> wanted == null ? t.history().isPresent() : t.name().equals(wanted)).toList();
        if (candidates.size() != 1) {
            String names = String.join(", ", watch.get().targets().stream()
                    .map(t -> t.name() + (t.history().isPresent() ? " (history)" : "")).toList());
            io.err().println(command + ": " + (wanted != null ? "no target '" + wanted + "'"
                    : candidates.isEmpty() ? "no target of watch '" + name + "' keeps history (history: true on a target)"
                    : "several targets keep history: give --target") + "; targets: " + names);
            return Optional.empty();
        }
        Target target = candidates.get(0);
        if (target.history().isEmpty()) {
            io.err().println(command + ": warning: target '" + target.name() + "' does not declare history: only what it "
                    + "kept before (if anything) is there");
        }
        try {
            return Optional.of(new HistoryTarget(watch.get(), target, HistoryStore.of(target, io.env()),
                    JournalSpool.of(state.settings().stateDir(), watch.get().name(), target.name())));
        } catch (IOException e) {
            io.err().println(command + ": " + e.getMessage());
            return Optional.empty();
        }
    }

    /** A path the operator gave, as a raw path relative to the source root ("" for the root itself). */
    String relative(String given, Args args) {
        Path source = watch.source().toAbsolutePath().normalize();
        Path p = Path.of(given);
        Path rel = p.isAbsolute() ? p.normalize() : source.resolve(p).normalize();
        if (!rel.startsWith(source)) throw args.usageError("path " + given + " is not under the source " + source);
        return RawNames.of(source.relativize(rel));
    }
}
