package io.replagent.replicate;

import io.replagent.replicate.Renames.Rename;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RenamesTest {

    private static Consumer<Renames> renamed(String from, String to) {
        return r -> r.renamed(from, to, from);
    }

    /** Renames in order, and the pairs they leave: old name on the target, new name at the source. */
    @Test void renamesToPairs() {
        record Case(String name, List<Consumer<Renames>> steps, List<Rename> expected) {}
        List<Case> cases = List.of(
                new Case("one rename", List.of(renamed("a", "b")), List.of(new Rename("a", "b"))),
                new Case("across directories", List.of(renamed("d/a", "e/f/b")), List.of(new Rename("d/a", "e/f/b"))),
                new Case("a chain is one pair", List.of(renamed("a", "b"), renamed("b", "c")), List.of(new Rename("a", "c"))),
                new Case("renamed back: nothing to build", List.of(renamed("a", "b"), renamed("b", "a")), List.of()),
                new Case("a new name renamed onto: its data is gone", List.of(renamed("a", "b"), renamed("c", "b")),
                        List.of(new Rename("c", "b"))),
                new Case("a swap through a third name", List.of(renamed("a", "t"), renamed("b", "a"), renamed("t", "b")),
                        List.of(new Rename("b", "a"), new Rename("a", "b"))),
                new Case("the target's copy not known current: no pair", List.of(r -> r.renamed("new", "n2", null)), List.of()),
                new Case("but a chain keeps its origin", List.of(renamed("a", "b"), r -> r.renamed("b", "c", null)),
                        List.of(new Rename("a", "c"))),
                new Case("a directory moved later carries its new names", List.of(renamed("a", "d/b"), renamed("x", "dd/y"),
                        r -> r.movedDirectory("d", "e")), List.of(new Rename("x", "dd/y"), new Rename("a", "e/b"))));
        for (Case c : cases) {
            Renames r = new Renames();
            c.steps().forEach(s -> s.accept(r));
            assertEquals(c.expected(), r.take(), c.name());
            assertEquals(List.of(), r.take(), c.name() + ": taken");
        }
    }

    @Test void requeuedPairsComeBeforeNewerOnesAndAreContinuedByThem() {
        record Case(String name, List<Rename> back, List<Consumer<Renames>> newer, List<Rename> expected) {}
        List<Case> cases = List.of(
                new Case("put back first", List.of(new Rename("a", "b")), List.of(renamed("x", "y")),
                        List.of(new Rename("a", "b"), new Rename("x", "y"))),
                new Case("renamed again while it was sent: one pair from the old name", List.of(new Rename("a", "b")),
                        List.of(renamed("b", "c")), List.of(new Rename("a", "c"))),
                new Case("renamed onto while it was sent: the newer pair", List.of(new Rename("a", "b")),
                        List.of(renamed("x", "b")), List.of(new Rename("x", "b"))),
                new Case("and back to where the target has it: nothing", List.of(new Rename("a", "b")),
                        List.of(renamed("b", "a")), List.of()));
        for (Case c : cases) {
            Renames r = new Renames();
            c.newer().forEach(s -> s.accept(r));
            r.requeue(c.back());
            assertEquals(c.expected(), r.take(), c.name());
        }
    }
}
