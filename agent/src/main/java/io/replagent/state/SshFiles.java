package io.replagent.state;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The files an ssh target reads on the source host, and when they are unsafe to use: the private key must be the
 * agent's alone (ssh refuses a key others can read, and someone else's key is not the agent's identity); the
 * known_hosts file decides whom the agent trusts, so nobody else may write it. Validation and plan share these rules.
 */
public final class SshFiles {

    private SshFiles() {}

    /** The user the agent runs as: the owner its private keys must have. */
    public static String agentUser() {
        return System.getProperty("user.name");
    }

    /** Why the identity file cannot be used, or empty. {@code mode} holds the permission bits. */
    public static Optional<String> identityProblem(Path path, boolean regularFile, int mode, String owner, String agentUser) {
        if (!regularFile) return Optional.of("identity file " + path + " is not a regular file");
        if ((mode & 0077) != 0) {
            return Optional.of(String.format("identity file %s is mode %04o: others can read the private key (ssh refuses "
                    + "it too): chmod 600 %s", path, mode, path));
        }
        if (!owner.equals(agentUser)) {
            return Optional.of("identity file " + path + " is owned by " + owner + ", not by " + agentUser
                    + " (the agent's user): chown " + agentUser + " " + path);
        }
        return Optional.empty();
    }

    /** Why the known_hosts file cannot be trusted, or empty. */
    public static Optional<String> knownHostsProblem(Path path, boolean regularFile, int mode, String owner, String agentUser) {
        if (!regularFile) return Optional.of("known_hosts " + path + " is not a regular file");
        if ((mode & 0022) != 0) {
            return Optional.of(String.format("known_hosts %s is mode %04o: others could add keys the agent would trust: "
                    + "chmod go-w %s", path, mode, path));
        }
        if (!owner.equals(agentUser) && !owner.equals("root")) {
            return Optional.of("known_hosts " + path + " is owned by " + owner + ": it must be root's or " + agentUser + "'s");
        }
        return Optional.empty();
    }

    /**
     * ssh expands {@code %} tokens and {@code ${VAR}} in the paths of its key, known_hosts and control socket;
     * {@code %} can be escaped, {@code ${} cannot.
     */
    public static boolean expandable(String path) {
        return path.contains("${");
    }
}
