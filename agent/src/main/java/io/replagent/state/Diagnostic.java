package io.replagent.state;

/**
 * One problem found in a state file, with where it is (1-based line and column; 0 when the problem has no
 * position, such as an unreadable file). Printed as {@code FILE:LINE:COL: severity: summary}.
 */
public record Diagnostic(Severity severity, String file, int line, int column, int endLine, int endColumn,
                         String summary, String detail) implements Comparable<Diagnostic> {

    public enum Severity { ERROR, WARNING }

    @Override public int compareTo(Diagnostic o) {
        int c = Integer.compare(line, o.line);
        if (c == 0) c = Integer.compare(column, o.column);
        return c == 0 ? summary.compareTo(o.summary) : c;
    }

    @Override public String toString() {
        String where = line > 0 ? file + ":" + line + ":" + column : file;
        String text = where + ": " + (severity == Severity.WARNING ? "warning: " : "") + summary;
        return detail == null || detail.isEmpty() ? text : text + " (" + detail + ")";
    }
}
