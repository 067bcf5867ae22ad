package io.replagent.state;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import tools.jackson.databind.JsonNode;

/**
 * The ssh rules a schema cannot say: a target pins a host key and names its key; keys parse as ssh would read them;
 * the key files on this host are safe to use (checked where they exist: plan checks them again after {@code --root});
 * accounts on the backup host are distinct and never the daemon's account.
 */
final class SshChecks {

    /** ssh appends 17 bytes to a control socket path while it creates it; sun_path holds 107 and a NUL. */
    static final int MAX_STATE_DIR_BYTES = SemanticCheck.MAX_SOCKET_PATH_BYTES - "/ssh/".length() - 16 - ".sock".length() - 17;
    static final Set<String> SSH_KEYS = Set.of("identity_file", "host_key", "known_hosts", "ssh_options");

    private final Problems problems;
    private final String agentUser;

    SshChecks(Problems problems, String agentUser) {
        this.problems = problems;
        this.agentUser = agentUser;
    }

    /** A target whose url is not ssh:// carries none of the ssh keys. */
    void notSsh(JsonNode target, String at) {
        for (String key : SSH_KEYS) {
            if (target.has(key)) problems.errorAtKey(at + "/" + key, key + " is for ssh:// targets");
        }
    }

    /**
     * @param stateDir     where the agent's known_hosts and control sockets go (the schema's default when not given)
     * @param generatedKeys private keys client.ssh_keys creates: they need not exist yet
     */
    void target(JsonNode target, String at, String url, String stateDir, Set<String> generatedKeys) {
        if (target.has("password") || target.has("password_file")) {
            problems.error(at, "an ssh target logs in with identity_file: password and password_file are for rsync:// targets");
        }
        String identity = text(target.path("identity_file"));
        if (!target.has("identity_file")) {
            problems.error(at, "ssh target " + url + " needs identity_file (client.ssh_keys can generate one)");
        } else if (identity != null) {
            path(at + "/identity_file", identity);
            if (!generatedKeys.contains(identity)) file(at + "/identity_file", identity, SshFiles::identityProblem);
        }
        if (!target.has("host_key") && !target.has("known_hosts")) {
            problems.error(at, "ssh target " + url + " pins no host key: give host_key (the backup host's "
                    + "/etc/ssh/ssh_host_ed25519_key.pub) or known_hosts (the agent never trusts a key on first use)");
        }
        JsonNode hostKey = target.path("host_key");
        if (hostKey.isString()) key(hostKey.stringValue(), at + "/host_key");
        else forEach(hostKey, at + "/host_key", (k, where) -> key(k.stringValue(), where));
        String knownHosts = text(target.path("known_hosts"));
        if (knownHosts != null) {
            path(at + "/known_hosts", knownHosts);
            file(at + "/known_hosts", knownHosts, SshFiles::knownHostsProblem);
        }
        if (stateDir != null) {
            if (SshFiles.expandable(stateDir)) {
                problems.error("/settings/state_dir", "ssh would expand '${' in this path (it holds the agent's known_hosts "
                        + "and control sockets): choose another state_dir");
            }
            if (stateDir.getBytes(StandardCharsets.UTF_8).length > MAX_STATE_DIR_BYTES) {
                problems.error(at, "state_dir is longer than " + MAX_STATE_DIR_BYTES + " bytes: the ssh control socket under it "
                        + "would not fit a Unix socket path");
            }
            if (target.path("ssh_options").has("ProxyJump") && !stateDir.matches("[A-Za-z0-9/._+-]+")) {
                problems.error(at + "/ssh_options/ProxyJump", "ssh runs the jump through a shell, with the agent's ssh config "
                        + "under state_dir: state_dir may hold only letters, digits and / . _ + -");
            }
        }
    }

    void keys(JsonNode keys, String pointer, Set<String> passwordFiles) {
        Set<String> paths = new HashSet<>();
        forEach(keys, pointer, (key, at) -> {
            String path = text(key.path("path"));
            if (path == null) return;
            if (!paths.add(path)) problems.error(at + "/path", "ssh key " + path + " is listed twice");
            if (passwordFiles.contains(path)) problems.error(at + "/path", path + " is also a password file");
            path(at + "/path", path);
            if (!key.path("generate").asBoolean(true)) file(at + "/path", path, SshFiles::identityProblem);
        });
    }

    void accounts(JsonNode server, String pointer) {
        String runAs = server.path("run_as").isString() ? server.path("run_as").stringValue() : Binder.RUN_AS;
        Set<String> users = new HashSet<>();
        forEach(server.path("ssh_accounts"), pointer, (account, at) -> {
            String user = text(account.path("user"));
            if (user != null && !users.add(user)) problems.error(at + "/user", "ssh account '" + user + "' is listed twice");
            if (user != null && user.equals(runAs) && !server.path("modules").isEmpty()) {
                problems.error(at + "/user", "'" + user + "' is the rsync daemon's run_as account (no shell, no home): "
                        + "give the ssh account a user of its own");
            }
            String path = text(account.path("path"));
            if ("/".equals(path) || (path != null && path.replaceAll("/+", "/").equals("/"))) {
                problems.error(at + "/path", "an ssh account must not reach '/'");
            } else if (path != null && path.startsWith("/")) {
                try {
                    TargetUrl.plainPath(path, "a path");
                } catch (IllegalArgumentException e) {
                    problems.error(at + "/path", e.getMessage());
                }
            }
            if (account.path("read_only").asBoolean(false) && account.path("write_only").asBoolean(false)) {
                problems.error(at + "/write_only", "read_only and write_only together leave the account unusable");
            }
            Set<String> seen = new HashSet<>();
            forEach(account.path("authorized_keys"), at + "/authorized_keys", (line, where) -> {
                PublicKey key = key(line.stringValue(), where);
                if (key != null && !seen.add(key.key())) problems.error(where, "this key is listed twice");
            });
        });
    }

    /** The parsed key, or null (reported). */
    private PublicKey key(String line, String pointer) {
        try {
            return PublicKey.parse(line);
        } catch (IllegalArgumentException e) {
            problems.error(pointer, e.getMessage());
            return null;
        }
    }

    private void path(String pointer, String path) {
        if (SshFiles.expandable(path)) problems.error(pointer, "ssh would expand '${' in this path: rename the file");
    }

    private interface Rule {
        Optional<String> problem(Path path, boolean regularFile, int mode, String owner, String agentUser);
    }

    /** Checks a file where it exists; a missing one is plan's to report (the state may be applied under --root). */
    private void file(String pointer, String path, Rule rule) {
        if (!path.startsWith("/")) return;
        Path file = Path.of(path);
        try {
            PosixFileAttributes a = Files.readAttributes(file, PosixFileAttributes.class);
            rule.problem(file, a.isRegularFile(), mode(a.permissions()), a.owner().getName(), agentUser)
                    .ifPresent(p -> problems.error(pointer, p));
        } catch (NoSuchFileException e) {
            // not there yet
        } catch (IOException | UnsupportedOperationException e) {
            problems.error(pointer, "cannot read " + path + ": " + e.getMessage());
        }
    }

    private static int mode(Set<PosixFilePermission> permissions) {
        int mode = 0;
        for (PosixFilePermission p : permissions) mode |= 1 << (8 - p.ordinal());
        return mode;
    }

    private static void forEach(JsonNode list, String pointer, BiConsumer<JsonNode, String> visitor) {
        if (!list.isArray()) return;
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).isString() || list.get(i).isObject()) visitor.accept(list.get(i), Marks.child(pointer, i));
        }
    }

    private static String text(JsonNode node) {
        return node.isString() ? node.stringValue() : null;
    }
}
