package io.replagent.cli;

import io.replagent.console.Console;
import io.replagent.control.ControlClient;
import io.replagent.control.ControlException;
import tools.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code agent status}: the running agent's status as a table, or {@code --json} for scripts and monitoring.
 * Exit 0 healthy, 1 the agent cannot be reached, 3 degraded (a paused target, failures waiting, a watch in error,
 * inotify watches near the kernel limit).
 */
final class StatusCommand implements Command {

    /** Watches in use above this share of max_user_watches count as "near exhaustion". */
    static final double LIMIT_WARNING = 0.9;

    @Override public String summary() { return "the running agent's status " + ControlSocketArgument.USAGE + " [--json]"; }

    @Override public int run(List<String> arguments, Io io) throws Exception {
        List<String> args = new ArrayList<>(arguments);
        Path socket = ControlSocketArgument.take(args, io);
        boolean json = args.remove("--json");
        if (!args.isEmpty()) throw new UsageException("unknown argument " + args.get(0));
        JsonNode status;
        JsonNode limits;
        try (ControlClient client = ControlClient.connect(socket)) {
            status = client.call("status", null);
            limits = client.call("limits", null);
        } catch (ControlException e) {
            io.err().println("agent status: " + e.getMessage());
            return ExitCode.ERROR;
        }
        List<String> problems = problems(status, limits);
        if (json) {
            io.out().println(status.toPrettyString());
        } else {
            Console.statusLines(status, false).forEach(io.out()::println);
            problems.forEach(p -> io.out().println("degraded: " + p));
        }
        return problems.isEmpty() ? ExitCode.OK : ExitCode.DEGRADED;
    }

    /** Why the agent is degraded, one reason per line; empty when healthy. */
    static List<String> problems(JsonNode status, JsonNode limits) {
        List<String> problems = new ArrayList<>();
        for (JsonNode watch : status.path("watches")) {
            String name = watch.path("name").asString();
            if (!watch.path("error").asString("").isEmpty()) problems.add("watch " + name + ": " + watch.path("error").asString());
            for (JsonNode target : watch.path("targets")) {
                String id = name + "/" + target.path("name").asString();
                if (target.path("state").asString().equals("paused")) {
                    problems.add(id + " is paused" + (target.path("alert").asString("").isEmpty() ? "" : ": " + target.path("alert").asString()));
                }
                int failures = target.path("failure_count").asInt();
                if (failures > 0) problems.add(id + ": " + failures + " path(s) in the failure queue");
            }
        }
        long max = limits.path("max_user_watches").asLong(0);
        long used = limits.path("watches_used").asLong(0);
        if (max > 0 && used >= LIMIT_WARNING * max) {
            problems.add("inotify watches " + used + " of fs.inotify.max_user_watches " + max);
        }
        return problems;
    }
}
