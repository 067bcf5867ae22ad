package io.replagent.console;

import io.replagent.control.ControlClient;
import io.replagent.control.ControlException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The console's command table: each command is a thin layer over one control operation, so what the console shows is
 * what {@code agent status --json} and scripts see. Words in, lines out, the agent behind {@link Agent}; no terminal.
 * {@code watch} and {@code events} are listed here but run by the shell, which owns the keyboard.
 */
final class Commands {

    record Cmd(String usage, String help, Handler handler) {
        boolean interactive() { return handler == null; }
    }

    @FunctionalInterface
    interface Handler {
        List<String> run(List<String> args, Agent agent) throws ControlException;
    }

    static final List<String> LOG_LEVELS = List.of("error", "warn", "info", "debug");

    private final Style style;
    private final Clock clock;
    private final Map<String, Cmd> table = new LinkedHashMap<>();

    Commands(Style style, Clock clock) {
        this.style = style;
        this.clock = clock;
        table.put("status", new Cmd("status", "every watch and target: state, queue, oldest change, last success, failures", this::status));
        table.put("watch", new Cmd("watch [SECONDS]", "status, refreshed every SECONDS (default 1) until a key is pressed", null));
        table.put("events", new Cmd("events [FILTER]", "live tail of batches and events (FILTER: text to match); a key stops it", null));
        table.put("failures", new Cmd("failures [TARGET]", "the failure queue: paths not delivered and rsync's error", this::failures));
        table.put("queue", new Cmd("queue [TARGET]", "pending changes per target", this::queue));
        table.put("retry", new Cmd("retry [TARGET|all] [--allow-deletes]", "retry now, without waiting for the backoff", this::retry));
        table.put("pause", new Cmd("pause TARGET", "stop pushing to a target (changes keep queueing)", (args, agent) -> targetOp("pause", args, agent)));
        table.put("resume", new Cmd("resume TARGET", "resume a paused target", (args, agent) -> targetOp("resume", args, agent)));
        table.put("sync", new Cmd("sync [WATCH|TARGET]", "full sync now (rsync of the whole tree)", this::sync));
        table.put("audit", new Cmd("audit [WATCH|TARGET] [--repair]", "compare source and target by checksum; --repair sends what differs", this::audit));
        table.put("history", new Cmd("history", "each target's version history: size, oldest version, retention, who prunes",
                (args, agent) -> { List<String> l = Render.history(agent.call("status", null), Style.PLAIN);
                    return l.isEmpty() ? List.of("no target keeps history (history: true on a target)") : l; }));
        table.put("versions", new Cmd("versions PATH [TARGET]", "the kept versions of PATH (relative to the source), newest first",
                this::versions));
        table.put("limits", new Cmd("limits", "kernel inotify limits, watches used and needed", (args, agent) -> Render.generic(agent.call("limits", null))));
        table.put("config", new Cmd("config", "the effective state (secrets redacted)", (args, agent) -> Render.generic(agent.call("config", null))));
        table.put("rsyncd", new Cmd("rsyncd", "the rendered rsyncd.conf and the daemon's status (backup host)", (args, agent) -> Render.generic(agent.call("rsyncd", null))));
        table.put("log-level", new Cmd("log-level LEVEL", "change the log level now (" + String.join(", ", LOG_LEVELS) + ")", this::logLevel));
        table.put("doctor", new Cmd("doctor", "the checks an operator would run, each with a verdict and the fix", this::doctor));
        table.put("help", new Cmd("help [COMMAND]", "this list, or one command's help", (args, agent) -> help(args)));
        table.put("quit", new Cmd("quit", "leave the console (Ctrl-D too); the agent keeps running", (args, agent) -> List.of()));
    }

    Map<String, Cmd> table() {
        return table;
    }

    /**
     * Runs one command line (its words) and returns what to print. The agent's errors are lines too; an unknown
     * command says so. {@code watch} and {@code events} are the shell's: here they only print their usage.
     */
    List<String> run(List<String> words, Agent agent) {
        String name = words.get(0);
        Cmd cmd = table.get(name);
        if (cmd == null) return List.of(style.bad("unknown command '" + name + "'") + " (try 'help')");
        if (cmd.interactive()) return List.of("usage: " + cmd.usage());
        try {
            return cmd.handler().run(words.subList(1, words.size()), agent);
        } catch (ControlException e) {
            return List.of(style.bad(e.getMessage()));
        }
    }

    // ---- commands

    List<String> status(List<String> args, Agent agent) throws ControlException {
        return Render.status(agent.call("status", null), style, clock.instant());
    }

    private List<String> failures(List<String> args, Agent agent) throws ControlException {
        return Render.failures(agent.call("status", null), args.isEmpty() ? null : args.get(0), style);
    }

    private List<String> queue(List<String> args, Agent agent) throws ControlException {
        JsonNode status = agent.call("status", null);
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"TARGET", "STATE", "QUEUE", "OLDEST", "IN-FLIGHT", "NEXT RETRY"});
        for (JsonNode watch : status.path("watches")) {
            for (JsonNode target : watch.path("targets")) {
                String name = watch.path("name").asString() + "/" + target.path("name").asString();
                if (!args.isEmpty() && !Targets.matches(args.get(0), watch.path("name").asString(), target.path("name").asString())) continue;
                rows.add(new String[] {name, target.path("state").asString(), String.valueOf(target.path("queue_depth").asInt()),
                        Render.age(target.path("oldest_pending_s").asDouble()), String.valueOf(target.path("in_flight").asInt()),
                        target.path("next_retry").asString("-")});
            }
        }
        return Render.table(rows, style);
    }

    private List<String> retry(List<String> args, Agent agent) throws ControlException {
        ObjectNode request = ControlClient.args();
        for (String arg : args) {
            if (arg.equals("--allow-deletes")) request.put("allow_deletes", true);
            else if (!arg.equals("all")) request.put("target", arg);
        }
        List<String> targets = new ArrayList<>();
        agent.call("retry", request).path("retry").forEach(t -> targets.add(t.asString()));
        return List.of("retrying now: " + String.join(", ", targets) + (request.has("allow_deletes") ? " (deletes allowed)" : ""));
    }

    private List<String> targetOp(String op, List<String> args, Agent agent) throws ControlException {
        if (args.size() != 1) return List.of("usage: " + table.get(op).usage());
        agent.call(op, ControlClient.args().put("target", args.get(0)));
        return List.of(op + "d " + args.get(0));
    }

    private List<String> sync(List<String> args, Agent agent) throws ControlException {
        ObjectNode request = ControlClient.args();
        if (!args.isEmpty()) request.put("target", args.get(0));
        agent.call("sync", request);
        return List.of("full sync queued" + (args.isEmpty() ? " for every watch" : " for " + args.get(0)));
    }

    private List<String> versions(List<String> args, Agent agent) throws ControlException {
        if (args.isEmpty() || args.size() > 2) return List.of("usage: " + table.get("versions").usage());
        ObjectNode request = ControlClient.args().put("path", args.get(0));
        if (args.size() == 2) request.put("target", args.get(1));
        List<String> lines = new ArrayList<>();
        agent.call("versions", request).properties().forEach(e -> {
            lines.add(e.getKey() + ": " + (e.getValue().isEmpty() ? "no versions of " + args.get(0) + " kept" : e.getValue().size() + " version(s)"));
            for (var v : e.getValue()) lines.add(String.format(java.util.Locale.ROOT, "  %-24s %10s  %-8s %s", v.path("time").asString(),
                    v.path("size").asLong() < 0 ? "-" : v.path("size").asString(), v.path("kind").asString(), v.path("path").asString()
                            + (v.path("moved_to").isString() ? " -> " + v.path("moved_to").asString() : "")));
        });
        return lines.isEmpty() ? List.of("no target keeps history") : lines;
    }

    private List<String> audit(List<String> args, Agent agent) throws ControlException {
        ObjectNode request = ControlClient.args().put("repair", args.contains("--repair"));
        args.stream().filter(a -> !a.equals("--repair")).findFirst().ifPresent(t -> request.put("target", t));
        List<String> lines = new ArrayList<>();
        agent.call("audit", request).properties().forEach(e -> lines.add(e.getKey() + ": " + e.getValue().path("result").asString()
                + ", " + e.getValue().path("missing").asLong() + " missing, " + e.getValue().path("differs").asLong() + " differ, "
                + e.getValue().path("extra").asLong() + " extra" + (e.getValue().path("repaired").asBoolean() ? " (repaired)" : "")));
        return lines;
    }

    private List<String> logLevel(List<String> args, Agent agent) throws ControlException {
        if (args.size() != 1) return List.of("usage: " + table.get("log-level").usage());
        agent.call("log_level", ControlClient.args().put("level", args.get(0)));
        return List.of("log level is now " + args.get(0));
    }

    private List<String> doctor(List<String> args, Agent agent) throws ControlException {
        return Render.findings(agent.call("doctor", null), style, false);
    }

    private List<String> help(List<String> args) {
        if (!args.isEmpty()) {
            Cmd cmd = table.get(args.get(0));
            return List.of(cmd == null ? "unknown command '" + args.get(0) + "'" : cmd.usage() + "\n  " + cmd.help());
        }
        int width = table.values().stream().mapToInt(c -> c.usage().length()).max().orElse(10);
        List<String> lines = new ArrayList<>();
        table.values().forEach(c -> lines.add(String.format("  %-" + width + "s  %s", c.usage(), c.help())));
        lines.add(style.dim("  TARGET is WATCH/TARGET, or TARGET alone when the name is unique. Tab completes."));
        return lines;
    }

    /** What completes after {@code command}: targets and watches from a status snapshot, log levels, command names. */
    List<String> completions(String command, JsonNode status) {
        List<String> names = new ArrayList<>();
        switch (command) {
            case "help" -> names.addAll(table.keySet());
            case "log-level" -> names.addAll(LOG_LEVELS);
            case "pause", "resume", "retry", "failures", "queue", "sync", "events", "audit" -> {
                if (command.equals("retry")) names.addAll(List.of("all", "--allow-deletes"));
                if (command.equals("audit")) names.add("--repair");
                for (JsonNode watch : status.path("watches")) {
                    String w = watch.path("name").asString();
                    if (command.equals("sync") || command.equals("events") || command.equals("audit")) names.add(w);
                    for (JsonNode target : watch.path("targets")) {
                        names.add(w + "/" + target.path("name").asString());
                        if (!names.contains(target.path("name").asString())) names.add(target.path("name").asString());
                    }
                }
            }
            default -> { }
        }
        return names;
    }

    /** Whether completing after {@code command} needs the agent's status (target and watch names). */
    static boolean completesNames(String command) {
        return List.of("pause", "resume", "retry", "failures", "queue", "sync", "events", "audit").contains(command);
    }
}
