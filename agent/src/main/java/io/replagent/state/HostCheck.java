package io.replagent.state;

import io.replagent.system.Sysctl;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The rules that need the host: every path of the state compared in one spelling ({@link StatePath}), under
 * {@code --root} and with symlinks resolved where the path exists. Trees must not overlap, no two files share a path,
 * the agent's own files stay out of watched sources and served modules, nothing is written outside the root, and
 * a watch that would replicate nothing says so. Runs on the tree next to the schema and semantic checks, so every
 * problem is reported in one go.
 */
final class HostCheck {

    /** The directory replication keeps on every target ({@code .agent/tmp}, later history): never in a source. */
    static final String RESERVED = ".agent";
    static final String INSTANCES = "fs.inotify.max_user_instances";

    /**
     * A path of the state: where it is written (given: in the file, not a default), what to call it, its normalized
     * spelling, that spelling under the root, and where it really is; written: a file the agent or its daemon writes.
     */
    private record Entry(String pointer, boolean given, String label, String text, Path path, Path rooted, Path real,
                         boolean written) {
        String shown() {
            return real.equals(rooted) ? path.toString() : path + " (" + real + ")";
        }
    }

    private final Problems problems;
    private final Path root;
    private final Sysctl sysctl;

    private HostCheck(Problems problems, Path root, Sysctl sysctl) {
        this.problems = problems;
        this.root = root;
        this.sysctl = sysctl;
    }

    /** @param root the {@code --root} directory the state's paths live under ({@code /}: the host itself) */
    static void check(JsonNode state, Problems problems, Path root, Sysctl sysctl) {
        new HostCheck(problems, root.toAbsolutePath().normalize(), sysctl).all(state);
    }

    private void all(JsonNode state) {
        boolean rerooted = root.getParent() != null;
        JsonNode settings = state.path("settings");
        JsonNode server = state.path("server");
        boolean raise = settings.path("inotify").path("ensure").asString("check").equals("raise");
        if (rerooted && raise) problems.error("/settings/inotify/ensure", "ensure: raise writes the host's kernel "
                + "parameters, outside --root " + root + ": use ensure: check with --root");
        if (rerooted && server.path("daemon").path("manage").asString("").equals("systemd"))
            problems.error("/server/daemon/manage", "manage: systemd writes a unit to the host's /etc/systemd/system "
                    + "and starts it there, outside --root " + root + ": use manage: process or none with --root");

        List<Entry> own = ownFiles(state, raise);
        List<Entry> modules = new ArrayList<>();
        each(server.path("modules"), "/server/modules", (m, at) -> entry(m.path("path"), at + "/path",
                "module '" + m.path("name").asString("?") + "'", null, false).ifPresent(modules::add));
        List<Entry> sources = new ArrayList<>();
        each(state.path("watches"), "/watches", (w, at) -> entry(w.path("source"), at + "/source",
                "watch '" + w.path("name").asString("?") + "'", null, false).ifPresent(sources::add));

        for (Entry m : modules) {
            if (isRoot(m)) problems.error(m.pointer(), "a module must not serve '/'" + resolution(m));
        }
        sharedPaths(own);
        sources(sources, modules);
        localTargets(state.path("watches"), sources);
        placed(own, sources, modules);
        instances(state.path("watches"), raise);
        adopted(settings.path("adopt"), own);
    }

    /** Sources: not '/', apart from each other, each one a directory worth watching. */
    private void sources(List<Entry> sources, List<Entry> modules) {
        for (int i = 0; i < sources.size(); i++) {
            Entry s = sources.get(i);
            if (isRoot(s)) {
                problems.error(s.pointer(), "a watch must not replicate '/'" + resolution(s) + ": the whole filesystem, "
                        + "/proc and /sys included, and the agent's own files: watch the directories that hold the data");
                continue;
            }
            for (Entry earlier : sources.subList(0, i)) {
                if (StatePath.inside(s.real(), earlier.real()) || StatePath.inside(earlier.real(), s.real()))
                    problems.error(s.pointer(), "source " + s.shown() + " overlaps the source " + earlier.shown() + " of " + earlier.label());
            }
            for (Entry m : modules) {
                if (StatePath.inside(m.real(), s.real()))
                    problems.warning(s.pointer(), m.label() + " lies inside this source: what it receives is sent again");
            }
            source(s);
        }
    }

    /** A local target inside its own source (or holding it) replicates into itself, a level deeper every push. */
    private void localTargets(JsonNode watches, List<Entry> sources) {
        each(watches, "/watches", (w, at) -> {
            Optional<Entry> source = sources.stream().filter(s -> s.pointer().equals(at + "/source")).findFirst();
            each(w.path("targets"), at + "/targets", (t, where) -> {
                String url = t.path("url").asString("");
                if (!url.startsWith("/") || source.isEmpty() || isRoot(source.get())) return;
                entry(t.path("url"), where + "/url", "target").ifPresent(target -> {
                    if (StatePath.inside(target.real(), source.get().real()) || StatePath.inside(source.get().real(), target.real()))
                        problems.error(target.pointer(), "target " + target.shown() + " overlaps the source "
                                + source.get().shown() + ": replication would loop");
                });
            });
        });
    }

    /** The agent's own files are neither pushed (a loop, and secrets in the backup) nor served to rsync clients. */
    private void placed(List<Entry> own, List<Entry> sources, List<Entry> modules) {
        for (Entry file : own) {
            for (Entry s : sources) {
                if (!isRoot(s) && StatePath.inside(file.real(), s.real()))
                    problems.error(file.pointer(), file.label() + " " + file.shown() + " lies inside the source " + s.shown()
                            + " of " + s.label() + ": the agent's own files would be pushed in an endless loop and "
                            + "copied into the backup: move it out of the source");
            }
            for (Entry m : modules) {
                if (!isRoot(m) && StatePath.inside(file.real(), m.real()))
                    problems.error(file.pointer(), file.label() + " " + file.shown() + " lies inside the directory "
                            + m.shown() + " of " + m.label() + ", which rsync clients can read and write: move it out");
            }
        }
    }

    /** An adopted path the state does not manage is a typo, most likely. */
    private void adopted(JsonNode adopt, List<Entry> own) {
        for (int i = 0; adopt.isArray() && i < adopt.size(); i++) {
            entry(adopt.get(i), "/settings/adopt/" + i, "adopted file").ifPresent(a -> {
                boolean managed = own.stream().anyMatch(f -> f.written() && f.real().equals(a.real()))
                        || StatePath.inside(a.path(), Path.of("/etc/systemd/system"));
                if (!managed) problems.warning(a.pointer(), "settings.adopt lists " + a.shown()
                        + ", which is none of the files this state writes");
            });
        }
    }

    /** Every file the agent (or the daemon it starts) writes, and every file a secret is read from. */
    private List<Entry> ownFiles(JsonNode state, boolean raise) {
        List<Entry> own = new ArrayList<>();
        JsonNode settings = state.path("settings");
        entry(settings.path("state_dir"), "/settings/state_dir", "settings.state_dir", Binder.STATE_DIR).ifPresent(own::add);
        if (settings.has("status_file")) entry(settings.path("status_file"), "/settings/status_file", "settings.status_file", null).ifPresent(own::add);
        entry(settings.path("control_socket"), "/settings/control_socket", "settings.control_socket", Binder.CONTROL_SOCKET).ifPresent(own::add);
        entry(settings.path("inotify").path("sysctl_file"), "/settings/inotify/sysctl_file",
                "settings.inotify.sysctl_file", Binder.SYSCTL_FILE).filter(e -> raise).ifPresent(own::add);
        JsonNode server = state.path("server");
        if (server.isObject()) {
            String[][] files = {{"config_file", Binder.CONFIG_FILE}, {"secrets_file", Binder.SECRETS_FILE},
                    {"pid_file", Binder.PID_FILE}, {"lock_file", Binder.LOCK_FILE}, {"log_file", Binder.LOG_FILE}};
            for (String[] f : files) entry(server.path(f[0]), "/server/" + f[0], "server." + f[0], f[1]).ifPresent(own::add);
            each(server.path("users"), "/server/users", (u, at) -> secretFile(u.path("password"), at + "/password", own));
        }
        each(state.path("client").path("password_files"), "/client/password_files", (f, at) -> {
            entry(f.path("path"), at + "/path", "password file", null, true).ifPresent(own::add);
            secretFile(f.path("password"), at + "/password", own);
        });
        each(state.path("watches"), "/watches", (w, at) -> each(w.path("targets"), at + "/targets", (t, where) -> {
            entry(t.path("password_file"), where + "/password_file", "password_file").ifPresent(own::add);
            secretFile(t.path("password"), where + "/password", own);
        }));
        return own;
    }

    private void secretFile(JsonNode secret, String pointer, List<Entry> own) {
        entry(secret.path("file"), pointer + "/file", "the secret file").ifPresent(own::add);
    }

    /** No two of the files the agent writes may be one path: the later one is reported (a file in a tree: below). */
    private void sharedPaths(List<Entry> own) {
        List<Entry> all = own.stream().filter(Entry::written).toList();
        for (int i = 0; i < all.size(); i++) {
            for (int j = 0; j < i; j++) {
                Entry a = all.get(j), b = all.get(i);
                if (!a.real().equals(b.real())) continue;
                problems.error(b.pointer(), b.label() + " " + b.shown() + " is also the " + a.label() + line(a)
                        + ": two resources cannot share a path");
            }
        }
    }

    private String line(Entry e) {
        return e.given() ? " (line " + problems.line(e.pointer()) + ")" : " (by default)";
    }

    /** A source that is not a directory, an empty one, a symlinked one and one holding the reserved name. */
    private void source(Entry s) {
        Path onHost = s.real();
        if (!onHost.equals(s.rooted()))
            problems.warning(s.pointer(), "source " + s.path() + " resolves through a symlink to " + onHost + ": the agent "
                    + "watches " + onHost + " (resolved once at start; repointing the link takes a restart)");
        if (!Files.exists(onHost, LinkOption.NOFOLLOW_LINKS)) return;
        if (!Files.isDirectory(onHost)) {
            problems.error(s.pointer(), "source " + s.shown() + " is not a directory");
            return;
        }
        if (Files.exists(onHost.resolve(RESERVED), LinkOption.NOFOLLOW_LINKS))
            problems.error(s.pointer(), "source " + s.shown() + " holds " + RESERVED + " at its top: that name is reserved "
                    + "for the agent's own directory on every target (rename it)");
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(onHost)) {
            if (!entries.iterator().hasNext())
                problems.warning(s.pointer(), "source " + s.shown() + " is empty: nothing to replicate yet");
        } catch (IOException e) {
            problems.warning(s.pointer(), "source " + s.shown() + " cannot be read: " + e.getMessage());
        }
    }

    /** One inotify instance per watch: more watches than the kernel allows would fail at start. */
    private void instances(JsonNode watches, boolean raise) {
        if (!watches.isArray() || raise) return;
        long limit = sysctl.readOr(INSTANCES, -1);
        if (limit >= 0 && watches.size() > limit)
            problems.warning("/watches", watches.size() + " watches need one inotify instance each, but " + INSTANCES
                    + " is " + limit + " (shared with every other program of the same user): raise it, or set "
                    + "settings.inotify.max_user_instances with ensure: raise");
    }

    private boolean isRoot(Entry e) {
        return e.real().getParent() == null || e.real().equals(StatePath.real(root));
    }

    /** Why a path that is not spelt '/' is it anyway. */
    private static String resolution(Entry e) {
        if (e.path().getParent() == null) return e.text().equals("/") ? "" : " (" + e.text() + " is /)";
        return " (" + e.text() + " resolves to " + e.real() + ")";
    }

    private Optional<Entry> entry(JsonNode node, String pointer, String label) {
        return entry(node, pointer, label, null, false);
    }

    private Optional<Entry> entry(JsonNode node, String pointer, String label, String fallback) {
        return entry(node, pointer, label, fallback, true);
    }

    /** The entry of a path node (its default when absent); empty when there is none or it is not a valid path. */
    private Optional<Entry> entry(JsonNode node, String pointer, String label, String fallback, boolean written) {
        String text = node.isString() ? node.stringValue() : node.isMissingNode() ? fallback : null;
        if (text == null || !text.startsWith("/")) return Optional.empty();
        Path path;
        try {
            path = Path.of(StatePath.normalize(text, "a path"));
        } catch (IllegalArgumentException e) {
            if (!node.isMissingNode()) problems.error(pointer, e.getMessage());
            return Optional.empty();
        }
        Path rooted = StatePath.under(root, path);
        return Optional.of(new Entry(pointer, !node.isMissingNode(), label, text, path, rooted, StatePath.real(rooted), written));
    }

    private interface Visitor {
        void visit(JsonNode item, String pointer);
    }

    private static void each(JsonNode list, String pointer, Visitor visitor) {
        if (!list.isArray()) return;
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).isObject()) visitor.visit(list.get(i), Marks.child(pointer, i));
        }
    }
}
