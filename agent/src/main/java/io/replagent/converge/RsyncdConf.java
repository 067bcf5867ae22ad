package io.replagent.converge;

import io.replagent.state.Server;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Renders rsyncd.conf from the server section: the same state always gives the same bytes (fixed parameter order,
 * extra parameters sorted), so any difference on disk is drift.
 *
 * <p>Symlinks: {@code use chroot} is the state's choice (default yes: the daemon runs as root, chroots into the module
 * and links arrive as they are). With chroot off, rsync munges symlinks by default, which keeps a client from
 * planting a link that escapes the module but stores every link as {@code /rsyncd-munged/...}; the rendered module
 * says so in a comment, and {@code munge symlinks} in the state's extra parameters turns it off deliberately.
 */
final class RsyncdConf {

    static final String HEADER = "# Managed by agent from its state file. Edits here are overwritten: `agent plan` shows them as drift.";

    private RsyncdConf() {}

    /** The daemon's primary-group shorthand: {@code gid = *} is the group of the {@code uid} user. */
    private static final String PRIMARY_GROUP = "*";

    /**
     * @param minConnections parallelism the local watches push with; a non-zero {@code max connections} is raised to it
     */
    static String render(Server server, int minConnections) {
        StringBuilder out = new StringBuilder(HEADER).append('\n');
        put(out, "", "port", String.valueOf(server.port()));
        put(out, "", "address", server.address());
        put(out, "", "pid file", server.pidFile());
        put(out, "", "lock file", server.lockFile());
        put(out, "", "log file", server.logFile());
        put(out, "", "uid", server.runAs());
        put(out, "", "gid", PRIMARY_GROUP);
        put(out, "", "use chroot", yesNo(server.useChroot()));
        if (server.maxConnections() > 0) put(out, "", "max connections", String.valueOf(Math.max(server.maxConnections(), minConnections)));
        put(out, "", "timeout", seconds(server.timeout()));
        new TreeMap<>(server.extra()).forEach((k, v) -> put(out, "", k, v));
        for (Server.Module m : server.modules()) module(out, server, m);
        return out.toString();
    }

    private static void module(StringBuilder out, Server server, Server.Module m) {
        String in = "    ";
        out.append('\n').append('[').append(m.name()).append("]\n");
        put(out, in, "path", m.path());
        put(out, in, "comment", m.comment());
        put(out, in, "read only", yesNo(m.readOnly()));
        put(out, in, "write only", yesNo(m.writeOnly()));
        put(out, in, "list", yesNo(m.list()));
        if (!m.authUsers().isEmpty()) {
            put(out, in, "auth users", m.authUsers().stream().map(RsyncdConf::authUser).collect(Collectors.joining(", ")));
            put(out, in, "secrets file", server.secretsFile());
        }
        put(out, in, "hosts allow", String.join(" ", m.hostsAllow()));
        put(out, in, "hosts deny", String.join(" ", m.hostsDeny()));
        if (m.maxConnections() > 0) put(out, in, "max connections", String.valueOf(m.maxConnections()));
        put(out, in, "timeout", seconds(m.timeout()));
        put(out, in, "uid", m.uid().orElse(null));
        put(out, in, "gid", m.gid().orElse(null));
        put(out, in, "use chroot", m.useChroot().map(RsyncdConf::yesNo).orElse(null));
        if (!m.useChroot().orElse(server.useChroot()) && !hasKey(m.extra(), server.extra(), "munge symlinks"))
            out.append(in).append("# use chroot = no: rsync munges symlinks (a link arrives as /rsyncd-munged/...);")
                    .append(" set 'munge symlinks' in extra to store links as they are\n");
        put(out, in, "refuse options", String.join(" ", m.refuseOptions()));
        put(out, in, "ignore errors", yesNo(m.ignoreErrors()));
        put(out, in, "fake super", yesNo(m.fakeSuper()));
        put(out, in, "incoming chmod", m.incomingChmod().orElse(null));
        put(out, in, "exclude", String.join(" ", m.exclude()));
        put(out, in, "transfer logging", yesNo(m.transferLogging()));
        new TreeMap<>(m.extra()).forEach((k, v) -> put(out, in, k, v));
    }

    private static boolean hasKey(Map<String, String> module, Map<String, String> global, String key) {
        return module.containsKey(key) || global.containsKey(key);
    }

    private static String authUser(Server.AuthUser u) {
        return switch (u.access()) {
            case RO -> u.name() + ":ro";
            case RW -> u.name() + ":rw";
            case DEFAULT -> u.name();
        };
    }

    /** Writes {@code key = value}; absent and empty values are left to rsync's default. */
    private static void put(StringBuilder out, String indent, String key, Object value) {
        if (value == null || value.toString().isEmpty()) return;
        out.append(indent).append(key).append(" = ").append(value).append('\n');
    }

    private static String yesNo(boolean b) {
        return b ? "yes" : "no";
    }

    private static String seconds(Duration d) {
        return d == null || d.isZero() ? null : String.valueOf(d.toSeconds());
    }

    /** Values that would break the file's line structure: a newline in any value, whitespace in a list item. */
    static List<String> problems(Server server) {
        List<String> problems = new java.util.ArrayList<>();
        for (Server.Module m : server.modules()) {
            for (String pattern : m.exclude())
                if (pattern.chars().anyMatch(Character::isWhitespace))
                    problems.add("module " + m.name() + ": exclude pattern '" + pattern + "' contains whitespace, which rsyncd.conf splits on");
            Optional.ofNullable(m.comment()).filter(c -> c.contains("\n"))
                    .ifPresent(c -> problems.add("module " + m.name() + ": comment contains a line break"));
        }
        return problems;
    }
}
