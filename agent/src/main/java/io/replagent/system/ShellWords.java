package io.replagent.system;

/** Words for a POSIX shell command line (an sshd forced command, a generated wrapper script). */
public final class ShellWords {

    private ShellWords() {}

    /** {@code s} as one shell word whatever it contains: bare when it is plainly safe, else single-quoted. */
    public static String quote(String s) {
        return s.matches("[A-Za-z0-9/._+-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
    }
}
