package io.replagent.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;

/** The process's streams and environment, passed in so commands run in-process under test. */
record Io(InputStream in, PrintStream out, PrintStream err, Map<String, String> env, boolean interactive) {

    static Io system() {
        return new Io(System.in, System.out, System.err, System.getenv(), System.console() != null);
    }
}
