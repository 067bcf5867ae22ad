package io.replagent.state;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a watch replicates to: an rsync daemon module ({@code rsync://user@host[:port]/module[/path]}), an ssh
 * account ({@code ssh://user@host[:port]/path}) or a local directory. A daemon target's password comes from a
 * password file or a secret source; an ssh target authenticates with a key and pins the host's key.
 *
 * @param name    a short name for status and the console; defaults to {@code host/module}, {@code host:/path} or
 *                the path
 * @param history the target keeps the versions its pushes replace or delete, with this retention (applied by the
 *                source's agent for a local or ssh target; a daemon module's is the backup host's); empty: no history
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

    /**
     * An account reached over ssh; rsync runs on the other side (for an account the agent made on the backup host,
     * {@code rrsync}, which reads {@code path} inside the account's directory: {@code /} is its root).
     *
     * @param path   absolute path on the remote side, as the remote rsync sees it
     * @param access how the connection authenticates and which host keys it accepts
     */
    public record Ssh(String user, String host, int port, String path, SshAccess access) implements Endpoint {
        @Override public String rsyncDestination() {
            String hostPart = host.contains(":") ? "[" + host + "]" : host;
            return user + "@" + hostPart + ":" + (path.endsWith("/") ? path : path + "/");
        }

        public Ssh withAccess(SshAccess access) {
            return new Ssh(user, host, port, path, access);
        }
    }

    /**
     * The key an ssh target logs in with and the host keys it trusts: never trust on first use.
     *
     * @param identityFile the private key (present in every validated state; empty only while a url is parsed)
     * @param hostKeys     pinned public host keys ({@code type base64 [comment]}), written into the agent's known_hosts
     * @param knownHosts   a known_hosts file the operator maintains, read as well
     * @param options      ssh options from the allow-list, by their ssh_config name, values as ssh_config takes them
     */
    public record SshAccess(Optional<Path> identityFile, List<String> hostKeys, Optional<Path> knownHosts,
                            Map<String, String> options) {
        public static final SshAccess NONE = new SshAccess(Optional.empty(), List.of(), Optional.empty(), Map.of());

        public SshAccess {
            hostKeys = List.copyOf(hostKeys);
            options = Map.copyOf(options);
        }
    }

    public record Local(Path path) implements Endpoint {
        @Override public String rsyncDestination() {
            String p = path.toString();
            return p.endsWith("/") ? p : p + "/";
        }
    }
}
