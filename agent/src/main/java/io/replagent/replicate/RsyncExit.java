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
    PERMANENT;

    static RsyncExit classify(int exit, String stderr) {
        switch (exit) {
            case 0:
            case 24:
                return OK;
            case 23:
                return PARTIAL;
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
}
