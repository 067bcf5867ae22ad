package io.replagent.cli;

import io.replagent.state.Diagnostic;
import io.replagent.state.InvalidStateException;
import io.replagent.state.StateFile;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** What plan and apply share: {@code FILE|- [--root DIR]}, and the state loaded, validated, re-rooted. */
final class StateFileOptions {

    final String file;
    private final Path root;

    StateFileOptions(String file, Path root) {
        this.file = file;
        this.root = root == null ? Path.of("/") : root.toAbsolutePath();
    }

    /** Adds FILE|- and --root to a command. */
    static CommandSpec addTo(CommandSpec spec) {
        spec.addPositional(Specs.positional("FILE|-", "1", String.class, "the state file, or - to read it from stdin"));
        spec.addOption(root("re-root every absolute path of the state under DIR (a scratch directory: tests, the demo); "
                + "system users and /proc/sys are not re-rooted"));
        return spec;
    }

    static OptionSpec root(String description) {
        return Specs.option("--root", "DIR", Path.class, description);
    }

    /** The directory the state is re-rooted under ("/" for none). */
    Path root() {
        return root;
    }

    static StateFileOptions of(Args args) {
        return new StateFileOptions(args.positional(0), args.value("--root"));
    }

    /** The valid, re-rooted state; or empty after passing every problem (and warnings either way) to {@code report}. */
    Optional<StateFile.Loaded> load(Io io, Consumer<List<Diagnostic>> report) {
        try {
            StateFile.Loaded loaded = StateArgument.load(file, io, root);
            if (!loaded.warnings().isEmpty()) report.accept(loaded.warnings());
            return Optional.of(loaded);
        } catch (InvalidStateException e) {
            report.accept(e.diagnostics());
            return Optional.empty();
        }
    }

    /** Loads, printing problems and warnings as text to stderr. */
    Optional<StateFile.Loaded> load(Io io) {
        return load(io, diagnostics -> diagnostics.forEach(io.err()::println));
    }
}
