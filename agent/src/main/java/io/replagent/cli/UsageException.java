package io.replagent.cli;

/** A command line that cannot be run as written: exit 64 with the message. */
final class UsageException extends Exception {
    UsageException(String message) {
        super(message);
    }
}
