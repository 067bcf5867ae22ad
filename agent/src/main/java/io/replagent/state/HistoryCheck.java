package io.replagent.state;

import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The rules of version history (a source holding the reserved {@code .agent} is refused by {@link HostCheck}): rsync's
 * own backup options would fight the agent's; a daemon target's retention is applied by the backup host's agent,
 * which is said rather than silently ignored.
 */
final class HistoryCheck {

    private final Problems problems;
    private final JsonNode root;

    private HistoryCheck(Problems problems, JsonNode root) {
        this.problems = problems;
        this.root = root;
    }

    static void check(JsonNode root, Problems problems) {
        HistoryCheck c = new HistoryCheck(problems, root);
        JsonNode watches = root.path("watches");
        for (int i = 0; watches.isArray() && i < watches.size(); i++) c.watch(watches.get(i), Marks.child("/watches", i));
        JsonNode modules = root.path("server").path("modules");
        for (int i = 0; modules.isArray() && i < modules.size(); i++) {
            c.size(modules.get(i).path("history"), Marks.child(Marks.child("/server/modules", i), "history"));
        }
    }

    private void watch(JsonNode watch, String at) {
        boolean any = false;
        JsonNode targets = watch.path("targets");
        for (int i = 0; targets.isArray() && i < targets.size(); i++) {
            JsonNode history = targets.get(i).path("history");
            String where = Marks.child(Marks.child(at + "/targets", i), "history");
            if (!on(history)) continue;
            any = true;
            size(history, where);
            JsonNode url = targets.get(i).path("url");
            if (!url.isString() || !url.stringValue().startsWith("rsync://")) continue;
            if (history.isObject() && (history.has("keep") || history.has("max_versions") || history.has("max_size"))) {
                problems.warning(where, "a daemon module's history is pruned by the backup host's agent "
                        + "(server.modules[].history in its state): keep, max_versions and max_size here are not applied");
            }
            moduleWithoutHistory(url.stringValue()).ifPresent(module -> problems.warning(where, "module '" + module
                    + "' of this state declares no history: the versions this target keeps there are never pruned"));
        }
        JsonNode extra = watch.path("rsync").path("extra");
        for (int i = 0; any && extra.isArray() && i < extra.size(); i++) {
            String o = extra.get(i).asString("");
            if (o.startsWith("--backup") || o.startsWith("--suffix") || (!o.startsWith("--") && o.startsWith("-") && o.indexOf('b') > 0)) {
                problems.error(Marks.child(at + "/rsync/extra", i), o + ": the agent keeps the history of targets with "
                        + "history itself (--backup-dir under " + HostCheck.RESERVED + "/history)");
            }
        }
    }

    /** The module of this state's own server that a daemon url on this host names, when it declares no history. */
    private Optional<String> moduleWithoutHistory(String url) {
        Target.Endpoint endpoint;
        try {
            endpoint = TargetUrl.parse(url);
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // reported by the semantic check
        }
        if (!(endpoint instanceof Target.Daemon d) || !List.of("127.0.0.1", "localhost", "::1").contains(d.host())) {
            return Optional.empty();
        }
        JsonNode modules = root.path("server").path("modules");
        for (int i = 0; modules.isArray() && i < modules.size(); i++) {
            JsonNode m = modules.get(i);
            if (m.path("name").isString() && d.module().equals(m.path("name").stringValue()) && !on(m.path("history"))) {
                return Optional.of(d.module());
            }
        }
        return Optional.empty();
    }

    private void size(JsonNode history, String at) {
        JsonNode size = history.path("max_size");
        if (!size.isString()) return;
        try {
            Retention.size(size.stringValue());
        } catch (IllegalArgumentException e) {
            problems.error(at + "/max_size", e.getMessage());
        }
    }

    private static boolean on(JsonNode history) {
        return history.isObject() || history.asBoolean(false);
    }
}
