package io.replagent.health;

/**
 * One health check's result.
 *
 * @param rule    the rule that produced it, stable for scripts and metrics ({@code target.paused.source_lost})
 * @param check   what was checked, for people ({@code replication data/backup})
 * @param verdict ok, warn or fail
 * @param cause   what was found (for ok: what is fine)
 * @param fix     what to do about it; empty for ok
 */
public record Finding(String rule, String check, Verdict verdict, String cause, String fix) {

    static Finding ok(String rule, String check, String cause) {
        return new Finding(rule, check, Verdict.OK, cause, "");
    }
}
