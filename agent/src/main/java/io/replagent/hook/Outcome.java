package io.replagent.hook;

/** How one hook call ended: ok, failed or timeout (the result label of the metrics), and why when not ok. */
record Outcome(String result, String message) {

    static final Outcome OK = new Outcome("ok", null);

    static Outcome failed(String why) {
        return new Outcome("failed", why);
    }

    static Outcome timeout(String why) {
        return new Outcome("timeout", why);
    }
}
