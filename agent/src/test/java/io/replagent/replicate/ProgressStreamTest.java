package io.replagent.replicate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressStreamTest {

    /** rsync 3.5.0's stdout, as captured: '\r' between updates, then --stats. */
    static final String OUTPUT = "\r         32,768   0%    0.00kB/s    0:00:00  \r"
            + "      3,000,000   3%   26.95MB/s    0:00:00 (xfr#1, to-chk=29/31)\r"
            + "      6,000,000   6%   26.72MB/s    0:00:00 (xfr#2, to-chk=28/31)\n"
            + "\nNumber of files: 31 (reg: 30, dir: 1)\nNumber of regular files transferred: 30\n"
            + "Total bytes sent: 90,011,234\n";

    @Test
    void progressLinesBecomeFiguresAndEverythingElseIsPassedOnAsItCame() throws Exception {
        ByteArrayOutputStream rest = new ByteArrayOutputStream();
        List<RsyncProgress> seen = new ArrayList<>();
        try (ProgressStream s = new ProgressStream(rest, seen::add)) {
            byte[] bytes = OUTPUT.getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < bytes.length; i += 7) s.write(bytes, i, Math.min(7, bytes.length - i)); // arbitrary pieces
        }
        assertEquals(List.of(32768L, 3_000_000L, 6_000_000L), seen.stream().map(RsyncProgress::bytes).toList());
        assertEquals("\nNumber of files: 31 (reg: 30, dir: 1)\nNumber of regular files transferred: 30\n"
                + "Total bytes sent: 90,011,234\n", rest.toString(StandardCharsets.US_ASCII));
    }

    @Test
    void aVeryLongLineIsPassedOnInPiecesAndAnUnfinishedOneAtClose() throws Exception {
        ByteArrayOutputStream rest = new ByteArrayOutputStream();
        String longLine = "x".repeat(ProgressStream.MAX_LINE * 2 + 10);
        try (ProgressStream s = new ProgressStream(rest, p -> { throw new AssertionError(p); })) {
            s.write(longLine.getBytes(StandardCharsets.US_ASCII));
        }
        assertEquals(longLine, rest.toString(StandardCharsets.US_ASCII));
    }
}
