package io.replagent.state;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses a target's url: {@code rsync://[user@]host[:port]/module[/path]} (IPv6 in brackets) or an absolute path. */
final class TargetUrl {

    static final int DEFAULT_PORT = 873;

    private static final Pattern DAEMON = Pattern.compile(
            "rsync://(?:([^@/]*)@)?(\\[[^\\]/]*\\]|[^:/\\[\\]]*)(?::([^/]*))?(?:/(.*))?");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?");
    private static final Pattern IPV6 = Pattern.compile("\\[[0-9A-Fa-f:.]+(%[A-Za-z0-9_.-]+)?\\]");

    private TargetUrl() {}

    /** @throws IllegalArgumentException saying what is wrong with the url */
    static Target.Endpoint parse(String url) {
        if (url.startsWith("/")) return new Target.Local(Path.of(StatePath.normalize(url, "a path")));
        Matcher m = DAEMON.matcher(url);
        if (!url.startsWith("rsync://") || !m.matches()) {
            throw new IllegalArgumentException("must be rsync://[user@]host[:port]/module[/path] or an absolute path");
        }
        if (!m.group(2).startsWith("[") && m.group(3) != null && m.group(3).contains(":")) {
            throw new IllegalArgumentException("an IPv6 address goes in brackets: rsync://[ADDRESS]:PORT/module");
        }
        String user = m.group(1) == null ? "" : m.group(1);
        if (user.contains(":")) {
            // never echoed: what follows the colon is a password
            throw new IllegalArgumentException("a password in the url would show in process listings: use password_file or password");
        }
        if (m.group(1) != null && !NAME.matcher(user).matches()) {
            throw new IllegalArgumentException("invalid user '" + user + "' in the url");
        }
        String host = m.group(2);
        if (host.isEmpty()) throw new IllegalArgumentException("the url has no host");
        if (host.startsWith("[")) {
            if (!IPV6.matcher(host).matches()) throw new IllegalArgumentException("invalid IPv6 address " + host);
            host = host.substring(1, host.length() - 1);
        } else if (!HOST.matcher(host).matches()) {
            throw new IllegalArgumentException("invalid host '" + host + "' (IPv6 addresses go in brackets)");
        }
        int port = port(m.group(3));
        String rest = m.group(4) == null ? "" : m.group(4);
        int slash = rest.indexOf('/');
        String module = slash < 0 ? rest : rest.substring(0, slash);
        if (module.isEmpty()) throw new IllegalArgumentException("the url names no module: rsync://host/MODULE");
        if (!NAME.matcher(module).matches()) throw new IllegalArgumentException("invalid module name '" + module + "'");
        String path = slash < 0 ? "" : StatePath.normalize(rest.substring(slash), "the path in the module");
        return new Target.Daemon(user, host, port, module, path.isEmpty() ? "" : path.substring(1));
    }

    /** A target's name when the state gives none: {@code host/module[/path]}, or the local path. */
    static String defaultName(Target.Endpoint endpoint) {
        if (endpoint instanceof Target.Daemon d) {
            return d.host() + "/" + d.module() + (d.path().isEmpty() ? "" : "/" + d.path());
        }
        return ((Target.Local) endpoint).path().toString();
    }

    private static int port(String text) {
        if (text == null) return DEFAULT_PORT;
        if (text.matches("[0-9]{1,5}")) {
            int port = Integer.parseInt(text);
            if (port >= 1 && port <= 65535) return port;
        }
        throw new IllegalArgumentException("invalid port '" + text + "' (1-65535)");
    }
}
