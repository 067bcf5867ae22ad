package io.replagent.replicate;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RsyncExitTest {

    @Test void classification() {
        Object[][] cases = {
                {0, "", RsyncExit.OK},
                {24, "file has vanished: \"/src/x\"", RsyncExit.OK},
                {23, "rsync: [sender] send_files failed to open", RsyncExit.PARTIAL},
                {10, "rsync: [sender] failed to connect to 127.0.0.1: Connection refused", RsyncExit.TRANSIENT},
                {11, "", RsyncExit.TRANSIENT}, {12, "", RsyncExit.TRANSIENT}, {30, "", RsyncExit.TRANSIENT},
                {35, "", RsyncExit.TRANSIENT},
                {5, "@ERROR: max connections (2) reached -- try again later", RsyncExit.TRANSIENT},
                {5, "@ERROR: auth failed on module data", RsyncExit.PERMANENT},
                {5, "@ERROR: Unknown module 'nope'", RsyncExit.PERMANENT},
                {1, "rsync: unknown option", RsyncExit.PERMANENT},
                {2, "", RsyncExit.PERMANENT}, {4, "", RsyncExit.PERMANENT},
                {20, "", RsyncExit.TRANSIENT}, {-1, "cannot run rsync", RsyncExit.TRANSIENT},
                {143, "", RsyncExit.TRANSIENT},
                {25, "rsync error: the --max-delete limit stopped deletions (code 25)", RsyncExit.DELETES_REFUSED},
                {0, "Deletions stopped due to --max-delete limit (15 skipped)", RsyncExit.DELETES_REFUSED},
                {1, "The temp-dir does not exist: .agent/tmp\nrsync error: syntax or usage error (code 1)", RsyncExit.TRANSIENT},
        };
        for (Object[] c : cases) assertEquals(c[2], RsyncExit.classify((Integer) c[0], (String) c[1]), c[0] + " " + c[1]);
    }

    @Test void refusedConnectionsWroteNothing() {
        assertEquals(true, RsyncExit.refused("rsync: [sender] failed to connect to 127.0.0.1 (127.0.0.1): Connection refused (111)"));
        assertEquals(true, RsyncExit.refused("@ERROR: max connections (1) reached -- try again later"));
        assertEquals(false, RsyncExit.refused("rsync: [sender] write error: Broken pipe (32)"));
        assertEquals(false, RsyncExit.refused(null));
    }

    @Test void fileIoErrorsAndAFullTargetNeedAttention() {
        Object[][] cases = {
                {23, "rsync: [receiver] write failed on \"big\" (in m): No space left on device (28)", true},
                {23, "rsync: [receiver] mkstemp \"/.a.XXXX\" (in m) failed: Disk quota exceeded (122)", true},
                {11, "rsync: [sender] read error: Connection reset by peer (104)", true},
                {10, "rsync: [sender] failed to connect to 10.0.0.2: Connection refused", false},
                {23, "rsync: [sender] send_files failed to open", false},
                {0, "", false}, {12, null, false},
        };
        for (Object[] c : cases) {
            assertEquals(c[2], RsyncExit.needsAttention((Integer) c[0], (String) c[1]), c[0] + " " + c[1]);
        }
    }
}
