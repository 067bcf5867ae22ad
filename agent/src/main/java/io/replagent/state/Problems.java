package io.replagent.state;

import java.util.ArrayList;
import java.util.List;

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

    boolean hasErrors() {
        return found.stream().anyMatch(d -> d.severity() == Diagnostic.Severity.ERROR);
    }

    /** Sorted by position; one diagnostic per position and message. */
    List<Diagnostic> sorted() {
        return found.stream().distinct().sorted().toList();
    }

    List<Diagnostic> warnings() {
        return sorted().stream().filter(d -> d.severity() == Diagnostic.Severity.WARNING).toList();
    }

    String file() {
        return file;
    }
}
