package io.replagent.system;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ShellWordsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "/usr/bin/rrsync       | /usr/bin/rrsync",
        "/data/a-b_c.d+e       | /data/a-b_c.d+e",
        "/data/with space      | '/data/with space'",
        "\"it's\"              | \"'it'\\''s'\"",
        "$HOME;rm -rf /        | '$HOME;rm -rf /'",
        "-ro                   | -ro",
        "\"\"                  | ''",
    })
    void quotesWhatTheShellWouldSplitOrExpand(String word, String quoted) {
        assertEquals(quoted, ShellWords.quote(word));
    }
}
