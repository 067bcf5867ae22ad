package io.replagent.watch;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ExcludesTest {

    @Test void rsyncPatternTable() {
        Object[][] cases = { // pattern, path, is dir, excluded
                {".*", ".hidden", false, true},
                {".*", "a/.git", true, true},
                {".*", "a/b.c", false, false},
                {"*.swp", "x/y/.f.swp", false, true},
                {"*.swp", "x.swpx", false, false},
                {"cache/", "a/cache", true, true},
                {"cache/", "a/cache", false, false},      // trailing slash: directories only
                {"/build", "build", true, true},
                {"/build", "a/build", true, false},       // anchored at the root
                {"a/b", "x/a/b", false, true},            // inner slash: matches the end of the path
                {"a/b", "x/ya/b", false, false},
                {"logs/**", "logs/x/y", false, true},
                {"f?.txt", "f1.txt", false, true},
                {"f?.txt", "f/.txt", false, false},
                {"[ab]*", "beta", false, true},
                {"[!ab]*", "beta", false, false},
                {"*", "anything", false, true},
                {"tmp*", "d/tmpfile", false, true},
                {"lit\\*", "lit*", false, true},
                {"lit\\*", "litx", false, false},
        };
        for (Object[] c : cases) {
            Excludes e = new Excludes(List.of((String) c[0]));
            assertEquals(c[3], e.excluded((String) c[1], (Boolean) c[2]), c[0] + " vs " + c[1]);
        }
    }

    @Test void noPatternsExcludeNothing() {
        assertEquals(false, new Excludes(List.of()).excluded("a", false));
    }
}
