package io.replagent.state;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The rules a schema cannot say: names unique, references resolved, urls that parse, passwords where a target needs
 * one, excludes that leave something to replicate (how paths relate to each other and to the host: {@link HostCheck}). Runs on the tree, next to the schema check, so every problem is reported in one
 * go; a node of the wrong shape is left to the schema's message.
 */
final class SemanticCheck {

    /** rsync options the replication sets itself: given again, they would change what a push means. */
    static final List<String> MANAGED_OPTIONS = List.of("--delete", "--del", "--files-from", "--from0", "--password-file",
            "--rsh", "--exclude", "--remove-source-files");

    /** sun_path holds 108 bytes including the terminating NUL. */
    static final int MAX_SOCKET_PATH_BYTES = 107;

    private final Problems problems;
    private final Map<String, String> env;
    private final boolean readableByOthers;

    private SemanticCheck(Problems problems, Map<String, String> env, boolean readableByOthers) {
        this.problems = problems;
        this.env = env;
        this.readableByOthers = readableByOthers;
    }

    /**
     * @param readableByOthers the state file can be read by users other than its owner and group: a literal
     *                         password in it is an error
     */
    static void check(JsonNode root, Problems problems, Map<String, String> env, boolean readableByOthers) {
        new SemanticCheck(problems, env, readableByOthers).all(root);
    }

    private void all(JsonNode root) {
        noLineBreaks(root, "");
        JsonNode socket = root.path("settings").path("control_socket");
        if (socket.isString() && socket.stringValue().getBytes(StandardCharsets.UTF_8).length > MAX_SOCKET_PATH_BYTES) {
            problems.error("/settings/control_socket", "a Unix socket path is limited to " + MAX_SOCKET_PATH_BYTES + " bytes");
        }
        server(root.path("server"));
        Set<String> passwordFiles = new HashSet<>();
        forEach(root.path("client").path("password_files"), "/client/password_files", (file, at) -> {
            secret(file.path("password"), at + "/password");
            String path = text(file.path("path"));
            if (path != null && StatePath.lexical(path) != null) passwordFiles.add(StatePath.lexical(path).toString());
        });
        watches(root.path("watches"), passwordFiles);
        HistoryCheck.check(root, problems);
    }

    /** Values end up in rsyncd.conf, secrets files and rsync's file lists: a line break would split a line. */
    private void noLineBreaks(JsonNode node, String pointer) {
        if (node.isString()) {
            String s = node.stringValue();
            if (s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) problems.error(pointer, "line breaks are not allowed in values");
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) noLineBreaks(node.get(i), Marks.child(pointer, i));
        } else if (node.isObject()) {
            node.forEachEntry((k, v) -> noLineBreaks(v, Marks.child(pointer, k)));
        }
    }

    private void server(JsonNode server) {
        Set<String> users = uniqueNames(server.path("users"), "/server/users", "user");
        forEach(server.path("users"), "/server/users", (user, at) -> secret(user.path("password"), at + "/password"));
        uniqueNames(server.path("modules"), "/server/modules", "module");
        forEach(server.path("modules"), "/server/modules", (module, at) -> {
            if (module.path("read_only").asBoolean(false) && module.path("write_only").asBoolean(false)) {
                problems.error(at + "/write_only", "read_only and write_only together leave the module unusable");
            }
            Set<String> listed = new HashSet<>();
            forEach(module.path("auth_users"), at + "/auth_users", (entry, where) -> {
                String name = entry.isObject() ? text(entry.path("name")) : text(entry);
                if (name == null) return;
                if (!users.contains(name)) {
                    problems.error(where, "auth user '" + name + "' is not one of server.users" + Hints.didYouMean(name, users));
                }
                if (!listed.add(name)) problems.error(where, "auth user '" + name + "' is listed twice");
            });
        });
    }

    private void watches(JsonNode watches, Set<String> passwordFiles) {
        uniqueNames(watches, "/watches", "watch");
        forEach(watches, "/watches", (watch, at) -> {
            targets(watch.path("targets"), at + "/targets", passwordFiles);
            forEach(watch.path("rsync").path("extra"), at + "/rsync/extra", (option, where) -> {
                String managed = managedOption(option.stringValue());
                if (managed != null) problems.error(where, managed + " is set by the agent: it cannot be given in rsync.extra");
            });
            forEach(watch.path("exclude"), at + "/exclude", (pattern, where) -> {
                if (excludesEverything(pattern.stringValue()))
                    problems.error(where, "exclude '" + pattern.stringValue() + "' matches every name: nothing under the "
                            + "source would be replicated");
            });
        });
    }

    /** A pattern of nothing but '*' (anchored or not) matches every entry at the top of the source. */
    static boolean excludesEverything(String pattern) {
        return pattern.matches("/?\\*+");
    }

    private void targets(JsonNode targets, String pointer, Set<String> passwordFiles) {
        Set<String> names = new HashSet<>();
        forEach(targets, pointer, (target, at) -> {
            String url = text(target.path("url"));
            if (url == null || !(url.startsWith("rsync://") || url.startsWith("/"))) return;
            Target.Endpoint endpoint;
            try {
                endpoint = TargetUrl.parse(url);
            } catch (IllegalArgumentException e) {
                problems.error(at + "/url", e.getMessage());
                return;
            }
            String name = target.has("name") ? text(target.path("name")) : TargetUrl.defaultName(endpoint);
            if (name != null && !names.add(name)) {
                problems.error(at, "two targets named '" + name + "' in this watch: set distinct names");
            }
            boolean hasPassword = target.has("password") || target.has("password_file");
            if (target.has("password") && target.has("password_file")) {
                problems.error(at + "/password", "give password or password_file, not both");
            }
            secret(target.path("password"), at + "/password");
            String passwordFile = text(target.path("password_file"));
            Path normal = passwordFile == null ? null : StatePath.lexical(passwordFile);
            if (normal != null && !passwordFiles.contains(normal.toString())) {
                problems.warning(at + "/password_file", passwordFile + " is not one of client.password_files: it must exist on this host");
            }
            if (endpoint instanceof Target.Local) {
                if (hasPassword) problems.error(at, "a local target takes no password");
            } else if (endpoint instanceof Target.Daemon daemon) {
                if (!daemon.user().isEmpty() && !hasPassword) {
                    problems.error(at, "target " + url + " names user '" + daemon.user() + "': give password_file or password");
                }
                if (daemon.user().isEmpty() && hasPassword) {
                    problems.error(at, "a password without a user in the url is never sent: write rsync://USER@host/module");
                }
            }
        });
    }

    /** The managed option an argument sets, or null; {@code -e} also hides in bundles like {@code -avze}. */
    static String managedOption(String arg) {
        if (!arg.startsWith("--") && arg.startsWith("-") && arg.indexOf('e') > 0) return "-e (--rsh)";
        String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
        for (String option : MANAGED_OPTIONS) {
            if (name.equals(option) || (option.equals("--delete") && name.startsWith("--delete"))) return option;
        }
        return null;
    }

    private void secret(JsonNode secret, String pointer) {
        String name = text(secret.path("env"));
        if (name != null && !env.containsKey(name)) {
            problems.warning(pointer + "/env", "environment variable " + name + " is not set (apply needs it)");
        }
        if (secret.has("value") && readableByOthers) {
            problems.error(pointer + "/value", "a literal password in a state file others can read: "
                    + "chmod o-r the file, or use env or file");
        }
    }

    private Set<String> uniqueNames(JsonNode list, String pointer, String what) {
        Set<String> names = new HashSet<>();
        forEach(list, pointer, (item, at) -> {
            String name = text(item.path("name"));
            if (name != null && !names.add(name)) problems.error(at + "/name", "duplicate " + what + " name '" + name + "'");
        });
        return names;
    }

    private interface Visitor {
        void visit(JsonNode item, String pointer);
    }

    private static void forEach(JsonNode list, String pointer, Visitor visitor) {
        if (!list.isArray()) return;
        for (int i = 0; i < list.size(); i++) {
            JsonNode item = list.get(i);
            if (item.isObject() || item.isString()) visitor.visit(item, Marks.child(pointer, i));
        }
    }

    private static String text(JsonNode node) {
        return node.isString() ? node.stringValue() : null;
    }
}
