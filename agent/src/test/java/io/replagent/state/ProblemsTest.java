package io.replagent.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProblemsTest {

    private final Marks marks = new Marks();
    private final Problems problems = new Problems("s.yaml", marks);

    ProblemsTest() {
        marks.value("/a", new Marks.Span(3, 5, 3, 9));
        marks.key("/a", new Marks.Span(3, 1, 3, 2));
        marks.value("/b", new Marks.Span(1, 4, 1, 6));
    }

    @Test
    void diagnosticsAreSortedByPositionAndDeduplicated() {
        problems.error("/a", "second");
        problems.errorAtKey("/a", "key");
        problems.error("/b", "first");
        problems.error("/b", "first");
        assertEquals(List.of("s.yaml:1:4: first", "s.yaml:3:1: key", "s.yaml:3:5: second"),
                problems.sorted().stream().map(Diagnostic::toString).toList());
        assertTrue(problems.hasErrors());
    }

    @Test
    void aWarningWhereAnErrorIsAlreadyReportedIsDropped() {
        problems.warning("/a", "noise");
        problems.warning("/b", "kept");
        problems.error("/a", "the real problem");
        assertEquals(List.of("s.yaml:1:4: warning: kept", "s.yaml:3:5: the real problem"),
                problems.sorted().stream().map(Diagnostic::toString).toList());
    }

    @Test
    void warningsAloneAreNotErrors() {
        problems.warning("/b", "just so you know");
        assertFalse(problems.hasErrors());
        assertEquals(1, problems.warnings().size());
    }
}
