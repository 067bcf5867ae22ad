package io.replagent.state;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MarksTest {

    @Test
    void pointersEscapeSlashAndTilde() {
        assertEquals("/a~1b/c~0d/3", Marks.child(Marks.child(Marks.child("", "a/b"), "c~d"), 3));
        assertEquals("/a~1b", Marks.parent("/a~1b/c"));
        assertEquals("", Marks.parent("/a"));
        assertEquals("", Marks.parent(""));
    }

    @Test
    void anAbsentNodeIsPlacedAtItsClosestAncestor() {
        Marks marks = new Marks();
        Marks.Span root = new Marks.Span(1, 1, 9, 1);
        Marks.Span server = new Marks.Span(2, 3, 5, 1);
        marks.value("", root);
        marks.value("/server", server);
        marks.key("/server", new Marks.Span(2, 1, 2, 7));
        assertEquals(server, marks.ofValue("/server/port"));
        assertEquals(server, marks.ofKey("/server/port"));
        assertEquals(new Marks.Span(2, 1, 2, 7), marks.ofKey("/server"));
        assertEquals(root, marks.ofValue("/watches/0"));
    }

    @Test
    void theFirstMarkOfAPointerWins() {
        Marks marks = new Marks();
        marks.value("/a", new Marks.Span(1, 1, 1, 2));
        marks.value("/a", new Marks.Span(7, 1, 7, 2));
        assertEquals(new Marks.Span(1, 1, 1, 2), marks.ofValue("/a"));
    }
}
