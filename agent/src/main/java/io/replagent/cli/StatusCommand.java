package io.replagent.cli;

import io.replagent.console.Console;
import io.replagent.control.ControlClient;
import io.replagent.control.ControlException;
import io.replagent.health.Health;
import io.replagent.health.Verdict;
import picocli.CommandLine.Model.CommandSpec;
import tools.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code agent status}: the running agent's status as a table, or {@code --json} for scripts and monitoring; the
 * health findings the agent serves decide the exit code.
 */
final class StatusCommand implements AgentCommand {

    @Override public CommandSpec spec() {
        CommandSpec spec = AgentAddress.addTo(Specs.command("the running agent's status: every watch and target (state, "
                        + "queue, oldest change, last success, failures) and what is wrong, each with its fix",
                "0:the agent runs and is healthy", "1:error (no agent answers, an invalid --state file)",
                "3:the agent runs but is degraded (a paused target, failures waiting, a watch in error, inotify watches "
                        + "at 90%% of the kernel limit, the state file changed since it started, SIGHUP ignored so it cannot reload)", ExitCode.USAGE_HELP));
        spec.addOption(Specs.flag("--json", "the status JSON (the status file's, plus \"agent\" and \"health\")"));
        return spec;
    }

    @Override public int run(Args args, Io io) {
        Optional<Path> socket = AgentAddress.socket(args, io);
        if (socket.isEmpty()) return ExitCode.ERROR;
        JsonNode status;
        try (ControlClient client = ControlClient.connect(socket.get())) {
            status = client.call("status", null);
        } catch (ControlException e) {
            io.err().println("agent status: " + e.getMessage());
            return ExitCode.ERROR;
        }
        if (args.flag("--json")) {
            io.out().println(status.toPrettyString());
        } else {
            Console.statusLines(status, false).forEach(io.out()::println);
        }
        return Health.worst(status.path("health")) == Verdict.OK ? ExitCode.OK : ExitCode.DEGRADED;
    }
}
