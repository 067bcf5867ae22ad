package io.replagent.health;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One row of a rule table: when it applies to a subject, the verdict, and how cause and fix read. Rows of the same
 * {@code group} exclude each other (the first that applies wins: "paused for this reason" rows); rows of different
 * groups all apply.
 */
record Rule<S>(String id, String group, Predicate<S> when, Verdict verdict, Function<S, String> cause,
               Function<S, String> fix) {

    Optional<Finding> apply(S subject, String check) {
        if (!when.test(subject)) return Optional.empty();
        return Optional.of(new Finding(id, check, verdict, cause.apply(subject), fix.apply(subject)));
    }

    /** Every applying row, first per group, in table order; {@code check} null: each row's group names the check. */
    static <S> List<Finding> evaluate(List<Rule<S>> table, S subject, String check) {
        List<Finding> found = new ArrayList<>();
        List<String> groupsDone = new ArrayList<>();
        for (Rule<S> rule : table) {
            if (groupsDone.contains(rule.group())) continue;
            Optional<Finding> finding = rule.apply(subject, check == null ? rule.group() : check);
            if (finding.isPresent()) {
                found.add(finding.get());
                groupsDone.add(rule.group());
            }
        }
        return found;
    }
}
