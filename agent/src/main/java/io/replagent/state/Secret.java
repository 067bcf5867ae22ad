package io.replagent.state;

import java.nio.file.Path;

/**
 * Where a password comes from. Never printed: {@link #toString()} of every variant is redacted,
 * so a secret cannot leak through a log line or an exception message by accident.
 */
public sealed interface Secret {

    /** From an environment variable of the agent's process. */
    record Env(String name) implements Secret {
        @Override public String toString() { return "env:" + name; }
    }

    /** From the first line of a file. */
    record FromFile(Path path) implements Secret {
        @Override public String toString() { return "file:" + path; }
    }

    /** Written in the state file itself (allowed only when the state file is not readable by others). */
    record Literal(String value) implements Secret {
        @Override public String toString() { return "(sensitive)"; }
    }
}
