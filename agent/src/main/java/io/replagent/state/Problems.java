package io.replagent.state;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Collects the diagnostics of one state file, placing each at the node a JSON pointer names. */
final class Problems {

    private final String file;
    private final Marks marks;
    private final List<Diagnostic> found = new ArrayList<>();

    Problems(String file, Marks marks) {
        this.file = file;
        this.marks = marks;
    }

    void error(String pointer, String summary) {
        add(Diagnostic.Severity.ERROR, marks.ofValue(pointer), summary);
    }

    void errorAtKey(String pointer, String summary) {
        add(Diagnostic.Severity.ERROR, marks.ofKey(pointer), summary);
    }

    void warning(String pointer, String summary) {
        add(Diagnostic.Severity.WARNING, marks.ofValue(pointer), summary);
    }

    void add(Diagnostic.Severity severity, Marks.Span at, String summary) {
        found.add(new Diagnostic(severity, file, at.line(), at.column(), at.endLine(), at.endColumn(), summary, null));
    }

    /** The line a node was written on (its enclosing node's when it is absent). */
    int line(String pointer) {
        return marks.ofValue(pointer).line();
    }

    boolean hasErrors() {
        return found.stream().anyMatch(d -> d.severity() == Diagnostic.Severity.ERROR);
    }

    /** Sorted by position; one diagnostic per position and message; no warning where an error already is. */
    List<Diagnostic> sorted() {
        Set<List<Integer>> errorsAt = new HashSet<>();
        for (Diagnostic d : found) {
            if (d.severity() == Diagnostic.Severity.ERROR) errorsAt.add(List.of(d.line(), d.column()));
        }
        return found.stream()
                .filter(d -> d.severity() == Diagnostic.Severity.ERROR || !errorsAt.contains(List.of(d.line(), d.column())))
                .distinct().sorted().toList();
    }

    List<Diagnostic> warnings() {
        return sorted().stream().filter(d -> d.severity() == Diagnostic.Severity.WARNING).toList();
    }

    String file() {
        return file;
    }
}
