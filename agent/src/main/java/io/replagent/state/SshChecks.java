package io.replagent.state;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.function.BiConsumer;
import tools.jackson.databind.JsonNode;

/**
 * The ssh rules a schema cannot say: a target pins a host key and names its key; keys parse as ssh would read them;
 * accounts on the backup host are distinct and never the daemon's account. (Whether the key files on this host are
 * safe to use: {@link SshHostCheck}.)
 */
final class SshChecks {

    /** ssh appends 17 bytes to a control socket path while it creates it; sun_path holds 107 and a NUL. */
    static final int MAX_STATE_DIR_BYTES = SemanticCheck.MAX_SOCKET_PATH_BYTES - "/ssh/".length() - 16 - ".sock".length() - 17;
    static final Set<String> SSH_KEYS = Set.of("identity_file", "host_key", "known_hosts", "ssh_options");

    private final Problems problems;

    SshChecks(Problems problems) {
        this.problems = problems;
    }

    /** A target whose url is not ssh:// carries none of the ssh keys. */
    void notSsh(JsonNode target, String at) {
        for (String key : SSH_KEYS) {
            if (target.has(key)) problems.errorAtKey(at + "/" + key, key + " is for ssh:// targets");
        }
    }

    /** @param stateDir where the agent's known_hosts and control sockets go (the schema's default when not given) */
    void target(JsonNode target, String at, String url, String stateDir) {
        if (target.has("password") || target.has("password_file")) {
            problems.error(at, "an ssh target logs in with identity_file: password and password_file are for rsync:// targets");
        }
        String identity = text(target.path("identity_file"));
        if (!target.has("identity_file")) {
            problems.error(at, "ssh target " + url + " needs identity_file (client.ssh_keys can generate one)");
        } else if (identity != null) {
            path(at + "/identity_file", identity);
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

    /** (Two keys at one path, or a key at a password file's path: {@link HostCheck}'s shared paths.) */
    void keys(JsonNode keys, String pointer) {
        forEach(keys, pointer, (key, at) -> {
            String path = text(key.path("path"));
            if (path != null) path(at + "/path", path);
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
            if (path != null && path.startsWith("/")) {
                try {
                    if (StatePath.normalize(path, "a path").equals("/")) problems.error(at + "/path", "an ssh account must not reach '/'");
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
