package io.replagent.history;

import io.replagent.history.Journal.Entry;
import io.replagent.history.Journal.Kind;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JournalTest {

    private static final String B1 = "2026-12-01T08:15:02.123Z";
    private static final String B2 = "2026-12-01T08:15:03.000Z";

    @Test void everyNameSurvivesTheRoundTrip() {
        List<Entry> entries = List.of(
                new Entry(B1, Kind.CREATED, "plain", false),
                new Entry(B1, Kind.REPLACED, "a dir/with space", false),
                new Entry(B1, Kind.DELETED, "gone", true),
                new Entry(B2, Kind.CREATED, "new\nline", false),
                new Entry(B2, Kind.CREATED, "tab\tand\\backslash\\x41", false),
                new Entry(B2, Kind.DELETED, "\u00ff\u00fe-not-utf8", false),
                new Entry(B2, Kind.REPLACED, "\u00c3\u00a9t\u00c3\u00a9", false), // "été" as raw UTF-8 bytes
                new Entry(B2, Kind.CREATED, "-leading dash/;semicolon/#hash", false));
        byte[] bytes = Journal.encode(entries);
        assertEquals(entries.size(), new String(bytes, StandardCharsets.UTF_8).split("\n").length);
        assertEquals(new Journal.Read(entries, 0), Journal.decode(bytes));
    }

    @Test void linesAreReadableByOperators() {
        String text = new String(Journal.encode(List.of(
                new Entry(B1, Kind.DELETED, "docs", true),
                new Entry(B1, Kind.REPLACED, "\u00c3\u00a9t\u00c3\u00a9", false),
                new Entry(B1, Kind.CREATED, "\u00ffx\n", false))), StandardCharsets.UTF_8);
        assertEquals(B1 + "\tdeleted\tdocs/\n" + B1 + "\treplaced\tété\n" + B1 + "\tcreated\t\\xffx\\x0a\n", text);
    }

    @Test void aMoveKeepsBothNamesWhateverTheyHold() {
        List<Entry> entries = List.of(
                new Entry(B1, Kind.MOVED, "old dir/f", false, "new dir/f"),
                new Entry(B1, Kind.MOVED, "tab\told/\u00ff", false, "tab\tnew/\u00ff"));
        byte[] bytes = Journal.encode(entries);
        assertEquals(B1 + "\tmoved\told dir/f\tnew dir/f\n", new String(bytes, StandardCharsets.UTF_8).split("(?<=\n)")[0]);
        assertEquals(new Journal.Read(entries, 0), Journal.decode(bytes));
        // a moved line without its new name, with an empty one, or naming a directory is not one
        String bad = B1 + "\tmoved\tx\n" + B1 + "\tmoved\tx\t\n" + B1 + "\tmoved\tx/\ty\n";
        assertEquals(new Journal.Read(List.of(), 3), Journal.decode(bad.getBytes(StandardCharsets.UTF_8)));
    }

    @Test void aTornOrForeignLineIsSkippedAndCounted() {
        String good = B1 + "\tcreated\tok\n";
        String text = good + "garbage\n" + B1 + "\tmoved\tx\n" + "2026-12-01T08:15:02Z\tcreated\tx\n"
                + B1 + "\tcreated\tbad\\q\n" + good + B2 + "\trepla";
        Journal.Read read = Journal.decode(text.getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of(new Entry(B1, Kind.CREATED, "ok", false), new Entry(B1, Kind.CREATED, "ok", false)), read.entries());
        assertEquals(5, read.skipped());
    }
}
