package io.replagent.replicate;

import java.util.List;
import java.util.Optional;

/**
 * What a failed run over ssh means, read from ssh's (and rrsync's) own words: rsync reports every ssh failure as
 * "connection unexpectedly closed" with exit 255 or 12, so its exit code alone cannot tell a rotated host key from a
 * dropped link. A failure retrying cannot fix pauses the target with an alert naming cause and fix; the others are
 * retried with backoff. An ssh exit 255 that says nothing known is retried, and raised as needing attention.
 */
enum SshExit {
    HOST_KEY_CHANGED(true, "the host presents a different key than the one pinned (REMOTE HOST IDENTIFICATION HAS CHANGED)",
            "if the backup host's key was rotated, pin its new key (/etc/ssh/ssh_host_ed25519_key.pub there) in host_key and "
                    + "apply; otherwise the connection may be intercepted: nothing was sent",
            "REMOTE HOST IDENTIFICATION HAS CHANGED", "has changed and you have requested strict checking"),
    HOST_KEY_UNKNOWN(true, "the host's key is not among the pinned ones (host key verification failed)",
            "pin the host's key in host_key (or add it to known_hosts under the name [host]:port): the agent never trusts a "
                    + "key on first use",
            "host key is known for", "Host key verification failed"),
    IDENTITY_UNUSABLE(true, "ssh cannot use identity_file",
            "it must be an unencrypted private key, mode 0600, owned by the agent's user",
            "UNPROTECTED PRIVATE KEY FILE", "Load key \"", "no such identity", "invalid format"),
    AUTH_REFUSED(true, "the account refused the key (Permission denied (publickey))",
            "add the key's public half (agent plan --json: outputs) to the account's authorized_keys on the backup host "
                    + "(server.ssh_accounts), and check the user in the url",
            "Permission denied (publickey"),
    COMMAND_REFUSED(true, "the account's forced command refused the transfer",
            "an ssh account made by the agent runs only rsync in its directory (rrsync): check the account's read_only "
                    + "and write_only, and that the url's path is inside the account ('/' is its root)",
            "rrsync error:", "This account is currently not available", "has been disabled on this server"),
    CONFIG_REFUSED(true, "ssh refused the agent's configuration",
            "see the message; ssh_options may hold an option this ssh does not know",
            "Bad configuration option", "command-line line", "Bad owner or permissions on", "bad configuration options"),
    UNRESOLVED(false, "the host name does not resolve", "check the url's host and this host's DNS; retried with backoff",
            "Could not resolve hostname", "Temporary failure in name resolution"),
    UNREACHABLE(false, "the host cannot be reached or dropped the connection", "retried with backoff",
            "Connection refused", "Connection timed out", "timed out during banner exchange", "Operation timed out",
            "No route to host", "Network is unreachable", "Connection reset", "Broken pipe", "Connection closed by",
            "kex_exchange_identification", "Timeout, server", "not responding", "Software caused connection abort",
            "Connection to "),
    UNKNOWN(false, "ssh failed (exit 255) without a known reason", "see the message; retried with backoff");

    /** rsync's exit for a remote shell that died (ssh's own 255 passed through). */
    static final int SSH_FAILED = 255;

    private final boolean permanent;
    final String cause;
    final String fix;
    private final List<String> signs;

    SshExit(boolean permanent, String cause, String fix, String... signs) {
        this.permanent = permanent;
        this.cause = cause;
        this.fix = fix;
        this.signs = List.of(signs);
    }

    /** Retrying cannot help: the target pauses until the operator acts. */
    boolean permanent() {
        return permanent;
    }

    /** The alert of a paused target: cause, ssh's line that says so, fix. */
    String alert(String stderr) {
        String evidence = evidence(stderr);
        return "ssh: " + cause + (evidence.isEmpty() ? "" : " [" + evidence + "]") + ": " + fix;
    }

    /** The first line of the output that matched, for the alert. */
    private String evidence(String stderr) {
        if (stderr == null) return "";
        for (String line : stderr.lines().map(String::strip).toList()) {
            for (String sign : signs) if (line.contains(sign)) return line;
        }
        return "";
    }

    /**
     * The ssh failure a run's output names; empty when it names none (and ssh did not fail), so that rsync's own exit
     * code decides.
     *
     * @param exit rsync's (or ssh's) exit code; 0, 23, 24 and 25 are rsync's outcomes and never an ssh failure
     */
    static Optional<SshExit> classify(int exit, String stderr) {
        if (exit == 0 || exit == 23 || exit == 24 || exit == 25) return Optional.empty();
        String text = stderr == null ? "" : stderr;
        for (SshExit kind : values()) {
            for (String sign : kind.signs) if (text.contains(sign)) return Optional.of(kind);
        }
        return exit == SSH_FAILED ? Optional.of(UNKNOWN) : Optional.empty();
    }
}
