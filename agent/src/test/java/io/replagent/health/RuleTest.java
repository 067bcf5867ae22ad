package io.replagent.health;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RuleTest {

    static final List<Rule<Integer>> TABLE = List.of(
            new Rule<>("big", "size", n -> n > 100, Verdict.FAIL, n -> n + " is big", n -> "shrink"),
            new Rule<>("medium", "size", n -> n > 10, Verdict.WARN, n -> n + " is medium", n -> ""),
            new Rule<>("odd", "parity", n -> n % 2 == 1, Verdict.WARN, n -> n + " is odd", n -> ""));

    static List<String> ids(int n) {
        return Rule.evaluate(TABLE, n, "n").stream().map(Finding::rule).toList();
    }

    @Test
    void theFirstApplyingRowOfEachGroupInTableOrder() {
        assertEquals(List.of(), ids(2));
        assertEquals(List.of("medium"), ids(12));
        assertEquals(List.of("big", "odd"), ids(101));
        assertEquals(List.of("odd"), ids(3));
    }

    @Test
    void theCheckIsTheCallersOrElseTheGroup() {
        assertEquals(new Finding("big", "n", Verdict.FAIL, "101 is big", "shrink"), Rule.evaluate(TABLE, 101, "n").get(0));
        assertEquals("size", Rule.evaluate(TABLE, 101, null).get(0).check());
    }
}
