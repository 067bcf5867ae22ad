package io.replagent.cli;

import io.replagent.control.ControlServer;
import io.replagent.converge.ApplyLock;
import io.replagent.converge.Converger;
import io.replagent.converge.Plan;
import io.replagent.converge.PlanRenderer;
import io.replagent.replicate.Replication;
import io.replagent.state.State;
import io.replagent.system.Host;
import io.replagent.system.Signals;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code agent apply FILE [--root DIR] [--auto-approve] [--converge-only] [--once] [--detailed-exitcode]
 * [--lock-timeout SECONDS]}: converge both roles (one apply at a time), then replicate.
 */
final class ApplyCommand implements Command {

    static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(10);

    @Override public String summary() {
        return "converge this host, then replicate (FILE [--root DIR] [--auto-approve] [--converge-only] [--once])";
    }

    @Override public int run(List<String> args, Io io) throws Exception {
        StateArgs a = StateArgs.parse(args, Set.of("--auto-approve", "--converge-only", "--once", "--detailed-exitcode"),
                Set.of("--lock-timeout"));
        Duration lockTimeout = lockTimeout(a);
        Optional<State> state = a.load(io);
        if (state.isEmpty()) return ExitCode.ERROR;
        // one replicating agent per state, for the life of the process: a second one fails here, before it converges
        try (ApplyLock agent = a.has("--converge-only") ? null : ApplyLock.replicating(state.get().settings().stateDir())) {
            int converged;
            // the converge lock covers converging only: a replicating agent must not shut out `apply --converge-only`
            try (ApplyLock lock = ApplyLock.acquire(state.get().settings().stateDir(), lockTimeout)) {
                converged = converge(state.get(), a.has("--auto-approve"), io);
            }
            if (converged == ExitCode.ERROR || a.has("--converge-only")) return detailed(converged, a);
            return detailed(replicate(state.get(), a.has("--once"), io, converged), a);
        }
    }

    /** Plans, asks, applies. OK when nothing needed changing, CHANGES when something was changed, ERROR otherwise. */
    private static int converge(State state, boolean autoApprove, Io io) throws Exception {
        Converger converger = Converger.of(state, Host.local(io.env()));
        Plan plan = converger.plan();
        new PlanRenderer(Clock.systemUTC(), VersionCommand.version()).text(plan, io.out(), io.err());
        if (plan.hasErrors()) return ExitCode.ERROR;
        if (plan.blocked()) {
            io.err().println("Error: the blocked change(s) marked ! above need attention first; nothing was changed.");
            return ExitCode.ERROR;
        }
        if (!plan.hasChanges()) return ExitCode.OK;
        if (!autoApprove && !approved(io)) return ExitCode.ERROR;
        Converger.Outcome outcome = converger.apply(plan, io.out()::println);
        if (!outcome.ok()) {
            io.err().println("Error: " + outcome.failed().get() + ": " + outcome.error());
            io.err().println("Done: " + listOrNothing(outcome.done()));
            io.err().println("Not done: " + listOrNothing(outcome.notDone()));
            return ExitCode.ERROR;
        }
        io.out().println(plan.summary().applied());
        return ExitCode.CHANGES;
    }

    private static String listOrNothing(List<String> addresses) {
        return addresses.isEmpty() ? "nothing" : String.join(", ", addresses);
    }

    private static boolean approved(Io io) throws Exception {
        if (!io.interactive()) {
            io.err().println("Error: no terminal to ask for approval; run with --auto-approve to apply without asking. Nothing was changed.");
            return false;
        }
        io.out().print("\nDo you want to perform these actions? Only 'yes' will be accepted to approve.\n  Enter a value: ");
        io.out().flush();
        String answer = new BufferedReader(new InputStreamReader(io.in(), StandardCharsets.UTF_8)).readLine();
        if ("yes".equals(answer == null ? null : answer.strip())) return true;
        io.err().println("Apply cancelled. Nothing was changed.");
        return false;
    }

    /**
     * The hand-over to replication once the host is converged. {@code --once}: the initial sync of every watch, then
     * exit (1 when a target could not be brought up to date). Otherwise: the control socket, then watching and
     * pushing in the foreground until SIGTERM/SIGINT, which stops cleanly (running rsyncs finish, the queue is saved).
     */
    private static int replicate(State state, boolean once, Io io, int converged) throws Exception {
        Replication replication = Replication.create(state, io.env(), io.err());
        if (once) {
            if (state.watches().isEmpty()) return converged;
            return replication.runOnce() ? converged : ExitCode.ERROR;
        }
        // the socket first: a second agent on the same state refuses here, before it touches anything
        ControlServer control = ControlServer.start(state.settings().controlSocket(),
                ControlOperations.of(state, replication, Host.local(io.env())));
        Thread shutdown = new Thread(() -> {
            replication.stop();
            closeQuietly(control);
        }, "shutdown");
        Runtime.getRuntime().addShutdownHook(shutdown);
        // a reload request (systemctl reload, a closed terminal) must not stop replication: say so and keep going
        Signals.onHangup(() -> io.err().println(java.time.Instant.now() + " warn SIGHUP: reload is not supported yet; "
                + "still replicating with the state loaded at start (restart the agent to use a changed state file)"));
        try {
            replication.start();
        } catch (IOException e) {
            closeQuietly(control);
            Runtime.getRuntime().removeShutdownHook(shutdown);
            io.err().println("Error: " + e.getMessage());
            return ExitCode.ERROR;
        }
        io.err().println("agent: replicating " + state.watches().size() + " watch(es); control socket "
                + state.settings().controlSocket() + " (agent status, agent console); stop with SIGTERM");
        replication.runUntilStopped();
        closeQuietly(control);
        return converged;
    }

    private static void closeQuietly(ControlServer control) {
        try {
            control.close();
        } catch (IOException ignored) {
            // the socket file is gone already
        }
    }

    /** Without --detailed-exitcode, "changes were made" is a plain success. */
    private static int detailed(int code, StateArgs a) {
        return code == ExitCode.CHANGES && !a.has("--detailed-exitcode") ? ExitCode.OK : code;
    }

    private static Duration lockTimeout(StateArgs a) throws UsageException {
        Optional<String> value = a.option("--lock-timeout");
        if (value.isEmpty()) return DEFAULT_LOCK_TIMEOUT;
        try {
            return Duration.ofSeconds(Long.parseUnsignedLong(value.get()));
        } catch (NumberFormatException e) {
            throw new UsageException("--lock-timeout takes whole seconds, got '" + value.get() + "'");
        }
    }
}
