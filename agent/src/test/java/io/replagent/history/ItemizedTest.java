package io.replagent.history;

import io.replagent.history.Journal.Entry;
import io.replagent.history.Journal.Kind;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ItemizedTest {

    private static final String B = "2026-12-01T08:15:02.123Z";

    private static Entry e(Kind kind, String path, boolean dir) {
        return new Entry(B, kind, path, dir);
    }

    /** Lines as rsync 3.5.0 printed them with --out-format='%i %n' (and --stats around them). */
    @Test void aPushOutputBecomesJournalEntries() {
        String output = String.join("\n",
                "Number of files: 9 (reg: 6, dir: 3)",
                ".d..t...... ./",
                "*deleting   a/b/f2",
                "*deleting   a/b/",
                ".d..t...... a/",
                ">f.st...... a/f1",
                "<f.st...... a/f3",
                ">f+++++++++ new",
                "<f+++++++++ sent",
                "cd+++++++++ d/",
                "cL+++++++++ d/link",
                "cLc.t...... d/changed-link",
                ".L..t...... d/touched-link",
                ".f...p..... mode-only",
                ">f......... same-content-resent",
                "created directory /B",
                "sent 123 bytes  received 37 bytes  320.00 bytes/sec",
                "Total bytes sent: 123",
                "");
        assertEquals(List.of(
                e(Kind.DELETED, "a/b/f2", false),
                e(Kind.DELETED, "a/b", true),
                e(Kind.REPLACED, "a/f1", false),
                e(Kind.REPLACED, "a/f3", false),
                e(Kind.CREATED, "new", false),
                e(Kind.CREATED, "sent", false),
                e(Kind.CREATED, "d", true),
                e(Kind.CREATED, "d/link", false),
                e(Kind.REPLACED, "d/changed-link", false),
                e(Kind.REPLACED, "same-content-resent", false)), Itemized.entries(B, "", output));
    }

    /** A move at -ii: the destination's own line, its hard links, and unchanged items. */
    @Test void aMoveIsPrefixedWithItsDestination() {
        String output = String.join("\n",
                "created directory /B",
                "cd          ./",
                "hL          link",
                "cd          sub/",
                "hf          sub/f1",
                ".f          sub/unchanged",
                "*deleting   extra",
                "");
        assertEquals(List.of(
                e(Kind.CREATED, "x/B", true),
                e(Kind.CREATED, "x/B/link", false),
                e(Kind.CREATED, "x/B/sub", true),
                e(Kind.CREATED, "x/B/sub/f1", false),
                e(Kind.DELETED, "x/B/extra", false)), Itemized.entries(B, "x/B", output));
        // the destination that existed already: no entry for it
        assertEquals(List.of(), Itemized.entries(B, "x/B", ".d          ./\n"));
    }

    /** A renamed file built from its old name's copy (--copy-dest, at -ii) is a new name; unchanged items are nothing. */
    @Test void aFileCopiedFromItsBasisIsCreated() {
        assertEquals(List.of(e(Kind.CREATED, "dir/r1", false)), Itemized.entries(B, "",
                ".d..t...... dir/\ncf          dir/r1\n.f          dir/kept\n"));
    }

    @Test void aMoveSaysWhetherItsDestinationWasThereBefore() {
        assertEquals(false, Itemized.destinationExisted("created directory /B\ncd          ./\nhf          k1\n"));
        assertEquals(true, Itemized.destinationExisted(".d          ./\nhf          k2\n"));
        assertEquals(true, Itemized.destinationExisted(".d..t...... ./\n"));
        assertEquals(false, Itemized.destinationExisted("hf          ./x\n"));
    }

    @Test void aMoveNamesTheFilesItLinkedFromItsBasis() {
        String output = "created directory /B\ncd          ./\ncd          d/\nhf          d/linked\nhL          d/link\n"
                + ">f+++++++++ d/sent\ncf          d/copied\nhf          sp ace\\#012x\nNumber of files: 5\n";
        assertEquals(java.util.Set.of("d/linked", "d/link", "sp ace\nx"), Itemized.linked(output));
    }

    @Test void escapedNamesComeBackAsTheirRawBytes() {
        Object[][] cases = {
                {"a\\#012nl", "a\nnl"},
                {"back\\#134#012x", "back\\#012x"},
                {"\\\\", "\\\\"},
                {"tab\tx", "tab\tx"},
                {"sp ace", "sp ace"},
                {"\\#377\\#376", "\u00ff\u00fe"},
                {"\\#303\\#251", "\u00c3\u00a9"},
                {"\u00c3\u00a9", "\u00c3\u00a9"}, // é as rsync prints it in a UTF-8 locale, read raw
                {"\\#38", "\\#38"},
                {"end\\#", "end\\#"},
        };
        for (Object[] c : cases) {
            assertEquals(c[1], Itemized.unescape((String) c[0]), (String) c[0]);
            assertEquals(List.of(e(Kind.CREATED, (String) c[1], false)), Itemized.entries(B, "", ">f+++++++++ " + c[0]));
        }
    }
}
