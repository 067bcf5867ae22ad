package io.replagent.cli;

import io.replagent.converge.ApplyLock;
import io.replagent.replicate.Replication;
import io.replagent.state.Diagnostic;
import io.replagent.state.InvalidStateException;
import io.replagent.state.State;
import io.replagent.state.StateFile;
import io.replagent.system.Log;
import io.replagent.system.Signals;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * SIGHUP (systemctl reload): the state file read again. Invalid: the agent goes on with the state it runs, the problems
 * are logged as FILE:LINE:COL and shown in status and doctor. Valid: the host is converged (when the agent was started
 * with --auto-approve), then the replication's watches and targets are added, removed or retuned. One reload at a
 * time, on a thread of its own; signals that arrive meanwhile make one more.
 */
final class Reloader implements AutoCloseable {

    private final StateFileOptions options;
    private final boolean autoApprove;
    private final Duration lockTimeout;
    private final Io io;
    private final Log log;
    private final Replication replication;
    private final Services services;
    private final ExecutorService worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(1), r -> {
                Thread t = new Thread(r, "reload");
                t.setDaemon(true);
                return t;
            }, new ThreadPoolExecutor.DiscardPolicy());
    private volatile State state;
    private final AtomicReference<RunningState> running;

    Reloader(StateFileOptions options, boolean autoApprove, Duration lockTimeout, State state, RunningState running, Io io,
             Log log, Replication replication, Services services) {
        this.options = options;
        this.autoApprove = autoApprove;
        this.lockTimeout = lockTimeout;
        this.state = state;
        this.running = new AtomicReference<>(running);
        this.io = io;
        this.log = log;
        this.replication = replication;
        this.services = services;
    }

    State state() {
        return state;
    }

    RunningState running() {
        return running.get();
    }

    /** What SIGHUP does in this process, for status and doctor. */
    void hangup(Signals.Hangup hangup) {
        running.updateAndGet(r -> r.withHangup(hangup));
    }

    /** From the signal handler: queues a reload (at most one waits behind a running one). */
    void request() {
        worker.execute(this::reload);
    }

    /** Reads the state file again and converges to it, or refuses it. */
    synchronized void reload() {
        if (options.file.equals("-")) {
            log.warn("reload: the state was read from stdin: there is no file to read again");
            return;
        }
        Path file = Path.of(options.file);
        log.info("reload: reading " + file);
        StateFile.Loaded loaded;
        try {
            loaded = StateFile.load(file, io.env(), options.root());
        } catch (InvalidStateException e) {
            List<String> problems = e.diagnostics().stream().filter(d -> d.severity() == Diagnostic.Severity.ERROR)
                    .map(Diagnostic::toString).toList();
            refuse(problems.isEmpty() ? e.diagnostics().stream().map(Diagnostic::toString).toList() : problems,
                    file + " is invalid");
            return;
        }
        loaded.warnings().forEach(w -> log.warn("reload: " + w));
        State next = loaded.state();
        if (!autoApprove) {
            log.warn("reload: the agent was started without --auto-approve: this host's own resources are not converged "
                    + "('agent apply " + file + "' does it); the watches and targets are");
        } else {
            try (ApplyLock lock = ApplyLock.acquire(next.settings().stateDir(), lockTimeout)) {
                if (ApplyCommand.converge(next, true, io) == ExitCode.ERROR) {
                    refuse(List.of("converging this host to " + file + " failed (see the plan above)"), "the host could not be converged");
                    return;
                }
            } catch (Exception e) {
                refuse(List.of("converging this host: " + e.getMessage()), "the host could not be converged");
                return;
            }
        }
        List<String> changes;
        try {
            changes = replication.reload(next, io.env());
        } catch (IOException | RuntimeException e) {
            refuse(List.of(e.getMessage()), "the replication could not take it");
            return;
        }
        services.reloaded(next);
        state = next;
        running.updateAndGet(r -> r.reloaded(new RunningState.Reload(Instant.now(), true, List.of(), changes), loaded.sha256()));
        if (changes.isEmpty()) log.info("reload: " + file + " applied, nothing to change in the replication");
        for (String change : changes) log.info("reload: " + change);
    }

    private void refuse(List<String> problems, String why) {
        log.error("reload refused, " + why + "; the agent goes on with the state it runs (" + problems.size()
                + " problem" + (problems.size() == 1 ? "" : "s") + "):");
        problems.forEach(p -> log.error("  " + p));
        running.updateAndGet(r -> r.reloaded(new RunningState.Reload(Instant.now(), false, problems, List.of()), null));
    }

    @Override public void close() {
        worker.shutdownNow();
    }
}
