package io.replagent.cli;

/** Exit codes, as Terraform's: scripts and the Ansible role branch on them. */
final class ExitCode {
    static final int OK = 0;
    static final int ERROR = 1;
    /** plan/apply with --detailed-exitcode: changes are present. status: (unused). */
    static final int CHANGES = 2;
    /** status: the agent runs but is degraded (paused target, failures waiting, limits near exhaustion). */
    static final int DEGRADED = 3;
    /** Command-line usage error (unknown flag, missing argument). */
    static final int USAGE = 64;

    private ExitCode() {}
}
