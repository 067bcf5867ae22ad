package io.replagent.state;

import java.util.Map;

/**
 * The one way into a {@link State}: parse, check against the schema, then the semantic checks.
 * Callers get a valid State or every problem at once.
 */
public final class StateFile {

    private StateFile() {}

    /**
     * @param label   the name diagnostics carry (the path as the user wrote it, or "-" for stdin)
     * @param content the file's bytes (at most 1 MiB)
     * @param env     environment for {@code {env: NAME}} secrets (checked for presence, not read into the model)
     */
    public static Loaded load(String label, byte[] content, Map<String, String> env) throws InvalidStateException {
        throw new UnsupportedOperationException("state loading: owned by the foundation work (issue 2)");
    }

    /** A valid state and its warnings. */
    public record Loaded(State state, java.util.List<Diagnostic> warnings) {}
}
