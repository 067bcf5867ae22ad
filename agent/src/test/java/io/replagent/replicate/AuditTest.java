package io.replagent.replicate;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AuditTest {

    /**
     * `rsync -a --checksum --dry-run --delete --out-format='%i %n' --stats` of a drifted target, as rsync 3.5 prints it
     * (a push to a daemon itemizes what it would send with '<', a local one with '>').
     */
    private static final String OUTPUT = String.join("\n",
            "*deleting   only-on-target",
            ".d..t...... ./",
            ">fc.t...... changed behind our back",
            ">f+++++++++ gone/file",
            "cd+++++++++ gone/",
            ".f...p..... mode only",
            "<fc........ odd\\#012name",
            "",
            "Number of files: 7 (reg: 5, dir: 2)",
            "Number of created files: 2 (reg: 1, dir: 1)",
            "Number of deleted files: 1 (reg: 1)",
            "cannot delete non-empty directory: x",
            "");

    @Test void countsAndPathsOfTheDifferences() {
        Audit.Result r = Audit.parse(OUTPUT, Instant.EPOCH);
        assertEquals(2, r.missing());
        assertEquals(2, r.differs());
        assertEquals(1, r.extra());
        assertEquals(List.of(new Audit.Difference("only-on-target", Audit.Kind.EXTRA, false),
                new Audit.Difference("changed behind our back", Audit.Kind.DIFFERS, false),
                new Audit.Difference("gone/file", Audit.Kind.MISSING, false),
                new Audit.Difference("gone", Audit.Kind.MISSING, true),
                new Audit.Difference("odd\nname", Audit.Kind.DIFFERS, false)), r.differences());
        assertEquals("extra only-on-target", r.shown().get(0));
    }

    @Test void aTargetInStepIsClean() {
        Audit.Result r = Audit.parse(".d..t...... ./\n\nNumber of files: 3\n", Instant.EPOCH);
        assertEquals(0, r.total());
    }
}
