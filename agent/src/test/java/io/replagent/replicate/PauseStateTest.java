package io.replagent.replicate;

import io.replagent.replicate.PauseState.Reason;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PauseStateTest {

    private record Step(String name, Consumer<PauseState> op) {}

    private static Step pause(Reason r) { return new Step("pause " + r, p -> p.pause(r, r.key() + " alert")); }
    private static final Step RESUME = new Step("resume", PauseState::resume);
    private static final Step RETRY = new Step("retry", p -> p.retry(false));
    private static final Step RETRY_DELETES = new Step("retry --allow-deletes", p -> p.retry(true));
    private static final Step BACK = new Step("source back", PauseState::sourceBack);

    /** Steps, then the reason shown (null: not paused). */
    private record Case(List<Step> steps, Reason shown) {}

    @Test void eachReasonEndsOnlyByItsOwnRemedyAndTheMostSeriousIsShown() {
        List<Case> cases = List.of(
                new Case(List.of(), null),
                new Case(List.of(pause(Reason.OPERATOR)), Reason.OPERATOR),
                new Case(List.of(pause(Reason.OPERATOR), RETRY), Reason.OPERATOR),            // an operator's pause stays
                new Case(List.of(pause(Reason.OPERATOR), RETRY_DELETES), Reason.OPERATOR),
                new Case(List.of(pause(Reason.OPERATOR), RESUME), null),
                new Case(List.of(pause(Reason.ERROR), RETRY), null),                          // the cause was fixed
                new Case(List.of(pause(Reason.ERROR), RESUME), null),
                new Case(List.of(pause(Reason.MASS_DELETE), RESUME), Reason.MASS_DELETE),     // resume does not confirm
                new Case(List.of(pause(Reason.MASS_DELETE), RETRY), Reason.MASS_DELETE),
                new Case(List.of(pause(Reason.MASS_DELETE), RETRY_DELETES), null),
                new Case(List.of(pause(Reason.SOURCE_LOST), RESUME, RETRY_DELETES), Reason.SOURCE_LOST),
                new Case(List.of(pause(Reason.SOURCE_LOST), BACK), null),
                new Case(List.of(pause(Reason.OPERATOR), pause(Reason.SOURCE_LOST)), Reason.SOURCE_LOST),
                new Case(List.of(pause(Reason.OPERATOR), pause(Reason.SOURCE_LOST), BACK), Reason.OPERATOR),
                // held against the tree at the path then (a bare mount point); the full sync after it counts again
                new Case(List.of(pause(Reason.MASS_DELETE), pause(Reason.SOURCE_LOST), BACK), null),
                new Case(List.of(pause(Reason.ERROR), pause(Reason.SOURCE_LOST), BACK), Reason.ERROR),
                new Case(List.of(pause(Reason.ERROR), pause(Reason.MASS_DELETE), RETRY), Reason.MASS_DELETE),
                new Case(List.of(pause(Reason.ERROR), pause(Reason.MASS_DELETE), RETRY_DELETES), null));
        for (Case c : cases) {
            PauseState p = new PauseState();
            c.steps().forEach(s -> s.op().accept(p));
            String name = c.steps().stream().map(Step::name).toList().toString();
            assertEquals(c.shown(), p.reason(), name);
            assertEquals(c.shown() != null, p.paused(), name);
            assertEquals(c.shown() == null ? null : c.shown().key() + " alert", p.alert(), name);
        }
    }

    @Test void statusKeysAreTheDocumentedOnes() {
        assertEquals(List.of("source_lost", "mass_delete", "error", "operator"),
                java.util.Arrays.stream(Reason.values()).map(Reason::key).toList());
    }
}
