package io.replagent.cli;

import io.replagent.control.ControlServer;
import io.replagent.converge.ApplyLock;
import io.replagent.converge.Converger;
import io.replagent.converge.Plan;
import io.replagent.converge.PlanRenderer;
import io.replagent.health.Health;
import io.replagent.replicate.Replication;
import io.replagent.state.State;
import io.replagent.state.StateFile;
import io.replagent.system.Host;
import io.replagent.system.Log;
import io.replagent.system.Signals;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code agent apply FILE [--root DIR] [--auto-approve] [--converge-only] [--once] [--detailed-exitcode]
 * [--lock-timeout SECONDS]}: converge both roles (one apply at a time), then replicate.
 */
final class ApplyCommand implements AgentCommand {

    static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(10);

    @Override public CommandSpec spec() {
        CommandSpec spec = StateFileOptions.addTo(Specs.command("converge this host to the state (plan, ask, apply; one "
                        + "apply at a time), then replicate in the foreground until SIGTERM/SIGINT (SIGHUP reads the "
                        + "state file again); the control socket serves status, doctor and the console",
                "0:success; with --detailed-exitcode: nothing needed changing",
                "1:error (invalid state, a blocked or failed step, not approved, a target not brought up to date by --once)",
                "2:with --detailed-exitcode: changes were made", ExitCode.USAGE_HELP));
        spec.addOption(Specs.flag("--auto-approve", "apply without asking (no terminal needed)"));
        spec.addOption(Specs.flag("--converge-only", "converge, then exit: no replication"));
        spec.addOption(Specs.flag("--once", "converge, the initial sync of every watch, then exit (Ansible, cron)"));
        spec.addOption(Specs.flag("--detailed-exitcode", "exit 2 when something was changed, 0 when nothing needed to"));
        spec.addOption(Specs.option("--lock-timeout", "SECONDS", Duration.class, new Seconds(),
                String.valueOf(DEFAULT_LOCK_TIMEOUT.toSeconds()), "how long to wait for another apply on the same "
                        + "state_dir to finish (default: ${DEFAULT-VALUE})"));
        return spec;
    }

    @Override public int run(Args args, Io io) throws Exception {
        StateFileOptions state = StateFileOptions.of(args);
        Optional<StateFile.Loaded> loaded = state.load(io);
        if (loaded.isEmpty()) return ExitCode.ERROR;
        State desired = loaded.get().state();
        boolean detailed = args.flag("--detailed-exitcode");
        boolean convergeOnly = args.flag("--converge-only");
        // one replicating agent per state, for the life of the process: a second one fails here, before it converges
        try (ApplyLock agent = convergeOnly ? null : ApplyLock.replicating(desired.settings().stateDir())) {
            int converged;
            // the converge lock covers converging only: a replicating agent must not shut out `apply --converge-only`
            try (ApplyLock lock = ApplyLock.acquire(desired.settings().stateDir(), args.value("--lock-timeout"))) {
                converged = converge(desired, args.flag("--auto-approve"), io);
            }
            if (converged == ExitCode.ERROR || convergeOnly) return detailed(converged, detailed);
            RunningState running = RunningState.of(state.file, loaded.get().sha256());
            Replicating how = new Replicating(state, args.flag("--auto-approve"), args.value("--lock-timeout"),
                    args.flag("--once"));
            return detailed(replicate(desired, running, how, io, converged), detailed);
        }
    }

    /** Whole, non-negative seconds. */
    static final class Seconds implements CommandLine.ITypeConverter<Duration> {
        @Override public Duration convert(String value) {
            try {
                return Duration.ofSeconds(Long.parseUnsignedLong(value));
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("takes whole seconds, got '" + value + "'");
            }
        }
    }

    /** Plans, asks, applies. OK when nothing needed changing, CHANGES when something was changed, ERROR otherwise. */
    static int converge(State state, boolean autoApprove, Io io) throws Exception {
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
        return approved(io, "perform these actions", "apply", "Apply cancelled");
    }

    /** Asks on the terminal; only "yes" approves. Without a terminal, says to give --auto-approve. */
    static boolean approved(Io io, String what, String command, String cancelled) throws Exception {
        if (!io.interactive()) {
            io.err().println("Error: no terminal to ask for approval; run with --auto-approve to " + command
                    + " without asking. Nothing was changed.");
            return false;
        }
        io.out().print("\nDo you want to " + what + "? Only 'yes' will be accepted to approve.\n  Enter a value: ");
        io.out().flush();
        String answer = new BufferedReader(new InputStreamReader(io.in(), StandardCharsets.UTF_8)).readLine();
        if ("yes".equals(answer == null ? null : answer.strip())) return true;
        io.err().println(cancelled + ". Nothing was changed.");
        return false;
    }

    /**
     * The hand-over to replication once the host is converged. {@code --once}: the initial sync of every watch, then
     * exit (1 when a target could not be brought up to date). Otherwise: the control socket, then watching and
     * pushing in the foreground until SIGTERM/SIGINT, which stops cleanly (running rsyncs finish, the queue is saved).
     */
    /** How apply was asked to replicate: the state file (for a reload), whether to converge without asking, --once. */
    private record Replicating(StateFileOptions options, boolean autoApprove, Duration lockTimeout, boolean once) {}

    private static int replicate(State state, RunningState running, Replicating how, Io io, int converged) throws Exception {
        Log log = Replication.log(io.err(), state.settings());
        Replication replication = Replication.create(state, io.env(), log);
        if (how.once()) {
            if (state.watches().isEmpty()) return converged;
            boolean synced = io.interactive() ? replication.runOnce(io.err()) : replication.runOnce();
            return synced ? converged : ExitCode.ERROR;
        }
        Services services;
        try {
            services = Services.start(state, replication, io.env(), log);
        } catch (IOException e) {
            log.plain(Log.Level.ERROR, "Error: " + e.getMessage());
            return ExitCode.ERROR;
        }
        Reloader reloader = new Reloader(how.options(), how.autoApprove(), how.lockTimeout(), state, running, io, log,
                replication, services);
        // the socket first: a second agent on the same state refuses here, before it touches anything
        ControlServer control;
        try {
            control = ControlServer.start(state.settings().controlSocket(),
                    ControlOperations.of(reloader::state, reloader::running, replication, Host.local(io.env())));
        } catch (IOException | RuntimeException e) {
            services.close();
            throw e;
        }
        Thread shutdown = new Thread(() -> {
            services.stopping();
            reloader.close();
            replication.stop();
            services.close();
            closeQuietly(control);
        }, "shutdown");
        Runtime.getRuntime().addShutdownHook(shutdown);
        // SIGHUP (systemctl reload): the state file is read again; a bad one is refused and replication goes on
        Signals.Hangup hangup = Signals.onHangup(reloader::request);
        reloader.hangup(hangup);
        // not answered (nohup, -Xrs): said once here, and by status and doctor for as long as it runs
        Health.sighup(RunningState.label(hangup))
                .ifPresent(f -> log.warn(f.cause() + "; " + f.fix()));
        try {
            replication.start();
        } catch (IOException e) {
            closeQuietly(control);
            services.close();
            Runtime.getRuntime().removeShutdownHook(shutdown);
            log.plain(Log.Level.ERROR, "Error: " + e.getMessage());
            return ExitCode.ERROR;
        }
        services.started();
        log.plain(Log.Level.INFO, "agent: replicating " + state.watches().size() + " watch(es); control socket "
                + state.settings().controlSocket() + " (agent status, agent console); stop with SIGTERM, "
                + (hangup == Signals.Hangup.HANDLED ? "reload with SIGHUP" : "restart to reload"));
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
    private static int detailed(int code, boolean detailedExitcode) {
        return code == ExitCode.CHANGES && !detailedExitcode ? ExitCode.OK : code;
    }
}
