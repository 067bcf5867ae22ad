package io.replagent.cli;

import io.replagent.state.Diagnostic;
import io.replagent.state.InvalidStateException;
import io.replagent.state.State;
import io.replagent.state.StateFile;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/** What plan and apply share: {@code FILE|- [--root DIR]} and their flags, and the state loaded, validated, re-rooted. */
final class StateArgs {

    final String file;
    final Path root;
    private final Set<String> flags;
    private final Map<String, String> options;

    private StateArgs(String file, Path root, Set<String> flags, Map<String, String> options) {
        this.file = file;
        this.root = root;
        this.flags = flags;
        this.options = options;
    }

    /**
     * @param knownFlags   flags without a value ({@code --json})
     * @param knownOptions options with a value besides {@code --root} ({@code --lock-timeout 10} or {@code --lock-timeout=10})
     */
    static StateArgs parse(List<String> args, Set<String> knownFlags, Set<String> knownOptions) throws UsageException {
        String file = null;
        Set<String> flags = new HashSet<>();
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            if (knownFlags.contains(arg)) flags.add(arg);
            else if (name.equals("--root") || knownOptions.contains(name)) {
                if (arg.contains("=")) options.put(name, arg.substring(arg.indexOf('=') + 1));
                else if (i + 1 < args.size()) options.put(name, args.get(++i));
                else throw new UsageException(name + " needs a value");
            } else if (arg.startsWith("-") && !arg.equals("-")) throw new UsageException("unknown option " + arg);
            else if (file == null) file = arg;
            else throw new UsageException("one state file only (got " + file + " and " + arg + ")");
        }
        if (file == null) throw new UsageException("missing state file (FILE, or - for stdin)");
        Path root = Path.of(options.getOrDefault("--root", "/"));
        if (!root.isAbsolute()) root = root.toAbsolutePath();
        return new StateArgs(file, root, flags, options);
    }

    boolean has(String flag) {
        return flags.contains(flag);
    }

    Optional<String> option(String name) {
        return Optional.ofNullable(options.get(name));
    }

    /** The valid, re-rooted state; or empty after passing every problem (and warnings either way) to {@code report}. */
    Optional<State> load(Io io, Consumer<List<Diagnostic>> report) {
        try {
            StateFile.Loaded loaded = StateArgument.load(file, io, root);
            if (!loaded.warnings().isEmpty()) report.accept(loaded.warnings());
            return Optional.of(loaded.state());
        } catch (InvalidStateException e) {
            report.accept(e.diagnostics());
            return Optional.empty();
        }
    }

    /** Loads, printing problems and warnings as text to stderr. */
    Optional<State> load(Io io) {
        return load(io, diagnostics -> diagnostics.forEach(io.err()::println));
    }
}
