package io.replagent.state;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses a target's url: {@code rsync://[user@]host[:port]/module[/path]}, {@code ssh://user@host[:port]/path}
 * (IPv6 in brackets) or an absolute path.
 */
final class TargetUrl {

    static final int DEFAULT_PORT = 873;
    static final int SSH_PORT = 22;
    static final String FORMS = "must be rsync://[user@]host[:port]/module[/path], ssh://user@host[:port]/path or an absolute path";

    private static final Pattern DAEMON = Pattern.compile(
            "rsync://(?:([^@/]*)@)?(\\[[^\\]/]*\\]|[^:/\\[\\]]*)(?::([^/]*))?(?:/(.*))?");
    private static final Pattern SSH = Pattern.compile(
            "ssh://(?:([^@/]*)@)?(\\[[^\\]/]*\\]|[^:/\\[\\]]*)(?::([^/]*))?(/.*)?");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?");
    private static final Pattern IPV6 = Pattern.compile("\\[[0-9A-Fa-f:.]+(%[A-Za-z0-9_.-]+)?\\]");

    private TargetUrl() {}

    /** @throws IllegalArgumentException saying what is wrong with the url */
    static Target.Endpoint parse(String url) {
        if (url.startsWith("/")) return new Target.Local(Path.of(StatePath.normalize(url, "a path")));
        if (url.startsWith("ssh://")) return ssh(url);
        Matcher m = DAEMON.matcher(url);
        if (!url.startsWith("rsync://") || !m.matches()) throw new IllegalArgumentException(FORMS);
        String user = user(m, "rsync://[ADDRESS]:PORT/module", "use password_file or password");
        String host = host(m.group(2));
        int port = port(m.group(3), DEFAULT_PORT);
        String rest = m.group(4) == null ? "" : m.group(4);
        int slash = rest.indexOf('/');
        String module = slash < 0 ? rest : rest.substring(0, slash);
        if (module.isEmpty()) throw new IllegalArgumentException("the url names no module: rsync://host/MODULE");
        if (!NAME.matcher(module).matches()) throw new IllegalArgumentException("invalid module name '" + module + "'");
        String path = slash < 0 ? "" : StatePath.normalize(rest.substring(slash), "the path in the module");
        return new Target.Daemon(user, host, port, module, path.isEmpty() ? "" : path.substring(1));
    }

    private static Target.Ssh ssh(String url) {
        Matcher m = SSH.matcher(url);
        if (!m.matches()) throw new IllegalArgumentException(FORMS);
        String user = user(m, "ssh://user@[ADDRESS]:PORT/path", "use identity_file");
        if (user.isEmpty()) throw new IllegalArgumentException("the url names no account: ssh://USER@host/path");
        String host = host(m.group(2));
        int port = port(m.group(3), SSH_PORT);
        if (m.group(4) == null) throw new IllegalArgumentException("the url names no path: ssh://user@host/PATH ('/' for the account's root)");
        return new Target.Ssh(user, host, port, StatePath.normalize(m.group(4), "the path"), Target.SshAccess.NONE);
    }

    /** The user part of a matched url, "" when there is none. */
    private static String user(Matcher m, String ipv6Form, String passwordAdvice) {
        if (!m.group(2).startsWith("[") && m.group(3) != null && m.group(3).contains(":")) {
            throw new IllegalArgumentException("an IPv6 address goes in brackets: " + ipv6Form);
        }
        String user = m.group(1) == null ? "" : m.group(1);
        if (user.contains(":")) {
            // never echoed: what follows the colon is a password
            throw new IllegalArgumentException("a password in the url would show in process listings: " + passwordAdvice);
        }
        if (m.group(1) != null && !NAME.matcher(user).matches()) {
            throw new IllegalArgumentException("invalid user '" + user + "' in the url");
        }
        return user;
    }

    /** A host name or a bracketed IPv6 address (returned without brackets). */
    private static String host(String host) {
        if (host.isEmpty()) throw new IllegalArgumentException("the url has no host");
        if (host.startsWith("[")) {
            if (!IPV6.matcher(host).matches()) throw new IllegalArgumentException("invalid IPv6 address " + host);
            return host.substring(1, host.length() - 1);
        }
        if (!HOST.matcher(host).matches()) {
            throw new IllegalArgumentException("invalid host '" + host + "' (IPv6 addresses go in brackets)");
        }
        return host;
    }

    /** A target's name when the state gives none: {@code host/module[/path]}, {@code host:/path}, or the local path. */
    static String defaultName(Target.Endpoint endpoint) {
        if (endpoint instanceof Target.Daemon d) {
            return d.host() + "/" + d.module() + (d.path().isEmpty() ? "" : "/" + d.path());
        }
        if (endpoint instanceof Target.Ssh s) {
            return (s.host().contains(":") ? "[" + s.host() + "]" : s.host()) + ":" + s.path();
        }
        return ((Target.Local) endpoint).path().toString();
    }

    private static int port(String text, int fallback) {
        if (text == null) return fallback;
        if (text.matches("[0-9]{1,5}")) {
            int port = Integer.parseInt(text);
            if (port >= 1 && port <= 65535) return port;
        }
        throw new IllegalArgumentException("invalid port '" + text + "' (1-65535)");
    }
}
