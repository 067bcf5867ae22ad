package io.replagent.cli;

import io.replagent.state.InvalidStateException;
import io.replagent.state.StateFile;
import java.io.IOException;
import java.nio.file.Path;

/** A state file named on the command line: a path, or {@code -} for stdin. Shared by the commands that take one. */
final class StateArgument {

    private StateArgument() {}

    /**
     * @throws InvalidStateException every problem, also a file that cannot be read (a diagnostic without position);
     *                               a literal password is refused only in a real file that others can read
     */
    static StateFile.Loaded load(String argument, Io io) throws InvalidStateException {
        return load(argument, io, Path.of("/"));
    }

    /** The state with every path under {@code root} ({@code --root DIR}). */
    static StateFile.Loaded load(String argument, Io io, Path root) throws InvalidStateException {
        if (!argument.equals("-")) return StateFile.load(Path.of(argument), io.env(), root);
        try {
            return StateFile.load("-", StateFile.readAtMost(io.in()), io.env(), root);
        } catch (IOException e) {
            throw StateFile.unreadable("-", e);
        }
    }
}
