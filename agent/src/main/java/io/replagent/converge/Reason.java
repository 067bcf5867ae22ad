package io.replagent.converge;

/** Why a change is planned. */
public enum Reason {
    MISSING("missing"),
    CONTENT_DRIFT("content drift"),
    MODE_DRIFT("mode drift"),
    OWNER_DRIFT("owner drift"),
    /** Drift that weakens protection of a secret: rsync's strict modes rejects such a file. */
    SECURITY("security"),
    NOT_RUNNING("not running"),
    LISTEN_CHANGED("listen address changed"),
    LIMIT_TOO_LOW("limit too low"),
    /** An existing file or process the agent did not make: it is left alone. */
    NOT_OURS("not the agent's"),
    /** An existing file the agent did not write, taken over because the state adopts it. */
    ADOPTED("adopted"),
    UNAVAILABLE("unavailable");

    public final String text;

    Reason(String text) {
        this.text = text;
    }
}
