package io.replagent.replicate;

/** What an rsync exit code means for the pipeline. */
enum RsyncExit {
    /** Delivered (0; 24: files vanished before they were sent, their deletion is another event). */
    OK,
    /** Partial transfer (23): the paths go back to the queue and are tried again with backoff. */
    PARTIAL,
    /** Worth retrying with backoff: network, protocol, timeouts, a daemon at its connection limit. */
    TRANSIENT,
    /** Retrying cannot help (bad credentials, unknown module, bad options): the target pauses with an alert. */
    PERMANENT,
    /** A full sync stopped deleting at --max-delete (25): the target pauses until an operator allows the deletes. */
    DELETES_REFUSED;

    /** The outcomes that pause the target until an operator acts. */
    boolean pauses() {
        return this == PERMANENT || this == DELETES_REFUSED;
    }

    static RsyncExit classify(int exit, String stderr) {
        // pushing to a daemon, the receiver's 25 does not reach the client: it exits 0 and only says so
        if (exit == 0 && stderr != null && stderr.contains("Deletions stopped due to --max-delete limit"))
            return DELETES_REFUSED;
        // the target's .agent/tmp/ is gone (removed by hand, a fresh module): the next attempt prepares it again
        if (exit == 1 && stderr != null && stderr.contains("The temp-dir does not exist")) return TRANSIENT;
        switch (exit) {
            case 0:
            case 24:
                return OK;
            case 23:
                return PARTIAL;
            case 25:
                return DELETES_REFUSED;
            case 5:
                return stderr != null && stderr.contains("max connections") ? TRANSIENT : PERMANENT;
            case 1:
            case 2:
            case 4:
                return PERMANENT;
            default: // 10, 11, 12, 30, 35 and everything unexpected (signals, 255): retry, never a hot loop
                return TRANSIENT;
        }
    }

    /** The connection was refused before anything was sent (no daemon listening, or one at its connection limit). */
    static boolean refused(String stderr) {
        return stderr != null && (stderr.contains("failed to connect to") || stderr.contains("@ERROR: max connections"));
    }

    /**
     * A file I/O error (exit 11: often the target's filesystem is full, and the daemon's message may be lost in a
     * connection reset) or a full or over-quota target: retried with backoff, and raised as an alert meanwhile.
     */
    static boolean needsAttention(int exit, String stderr) {
        return exit == 11 || stderr != null
                && (stderr.contains("No space left on device") || stderr.contains("Disk quota exceeded"));
    }
}
