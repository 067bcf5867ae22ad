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
        };
        for (Object[] c : cases) assertEquals(c[2], RsyncExit.classify((Integer) c[0], (String) c[1]), c[0] + " " + c[1]);
    }
}
