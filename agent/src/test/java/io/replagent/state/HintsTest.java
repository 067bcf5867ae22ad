package io.replagent.state;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HintsTest {

    static final List<String> KEYS = List.of("read_only", "write_only", "max_connections", "path", "port", "munge symlinks");

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        readonly        | , did you mean 'read_only'?
        Read-Only       | , did you mean 'read_only'?
        writeonly       | , did you mean 'write_only'?
        max_conections  | , did you mean 'max_connections'?
        pth             | , did you mean 'path'?
        munge_symlinks  | , did you mean 'munge symlinks'?
        colour          | ''
        x               | ''
        """)
    void suggestsOnlyCloseCandidates(String given, String hint) {
        assertEquals(hint, Hints.didYouMean(given, KEYS));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"kitten,sitting,3", "'',abc,3", "abc,abc,0", "flaw,lawn,2"})
    void distanceIsLevenshtein(String a, String b, int distance) {
        assertEquals(distance, Hints.distance(a, b));
    }
}
