package io.replagent.cli;

/**
 * Exit codes, as Terraform's: scripts and the Ansible role branch on them. The {@code *_HELP} lines are what
 * {@code --help}, the man page and the README show ("code:meaning", picocli's exit code list format).
 */
final class ExitCode {
    static final int OK = 0;
    static final int ERROR = 1;
    /** plan/apply with --detailed-exitcode: changes are present (plan) or were made (apply). */
    static final int CHANGES = 2;
    /** status and doctor: the agent runs but is degraded; doctor: warnings only. */
    static final int DEGRADED = 3;
    /** Command-line usage error (unknown option, missing argument). */
    static final int USAGE = 64;

    static final String OK_HELP = "0:success";
    static final String ERROR_HELP = "1:error (invalid state, a failed step, agent unreachable)";
    static final String USAGE_HELP = "64:command-line usage error";

    private ExitCode() {}
}
