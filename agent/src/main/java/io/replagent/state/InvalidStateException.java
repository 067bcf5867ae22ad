package io.replagent.state;

import java.util.List;

/** A state file that cannot be used; carries every problem found, sorted by position. */
public final class InvalidStateException extends Exception {

    private final List<Diagnostic> diagnostics;

    public InvalidStateException(List<Diagnostic> diagnostics) {
        super(diagnostics.isEmpty() ? "invalid state" : diagnostics.get(0).toString());
        this.diagnostics = List.copyOf(diagnostics);
    }

    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }
}
