package io.replagent.state;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a watch replicates to: an rsync daemon module ({@code rsync://user@host[:port]/module[/path]})
 * or a local directory. A daemon target's password comes from a password file or a secret source.
 *
 * @param name    a short name for status and the console; defaults to {@code host/module} or the path
 * @param history the target keeps the versions its pushes replace or delete, with this retention (applied by the
 *                source's agent for a local target; a daemon module's is the backup host's); empty: no history
 */
public record Target(String name, Endpoint endpoint, Optional<Path> passwordFile, Optional<Secret> password,
                     Optional<Retention> history) {

    /** A target without history. */
    public Target(String name, Endpoint endpoint, Optional<Path> passwordFile, Optional<Secret> password) {
        this(name, endpoint, passwordFile, password, Optional.empty());
    }

    public sealed interface Endpoint {
        /** The argument rsync gets as its destination, ending in '/'. */
        String rsyncDestination();
    }

    public record Daemon(String user, String host, int port, String module, String path) implements Endpoint {
        @Override public String rsyncDestination() {
            String hostPart = host.contains(":") ? "[" + host + "]" : host;
            String userPart = user.isEmpty() ? "" : user + "@";
            String sub = path.isEmpty() ? "" : "/" + path;
            return "rsync://" + userPart + hostPart + ":" + port + "/" + module + sub + "/";
        }
    }

    public record Local(Path path) implements Endpoint {
        @Override public String rsyncDestination() {
            String p = path.toString();
            return p.endsWith("/") ? p : p + "/";
        }
    }
}
