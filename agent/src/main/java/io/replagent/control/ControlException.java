package io.replagent.control;

/** A control request that failed: the agent could not be reached, or it answered with an error. */
public final class ControlException extends Exception {

    private final String code;

    public ControlException(String code, String message) {
        super(message);
        this.code = code;
    }

    /** Machine-readable reason: unreachable, denied, unknown_op, bad_request, failed, protocol. */
    public String code() {
        return code;
    }
}
