package io.replagent.service;

import io.replagent.replicate.ReplicationStatus;
import io.replagent.system.SdNotify;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Tells systemd (Type=notify) how the agent is doing: READY=1 once every watch is set up and every initial sync has
 * finished its first attempt, EXTEND_TIMEOUT_USEC while it has not (a big first sync is not a hung start; a hung one
 * still times out), STATUS= lines, WATCHDOG=1 while the replication is alive, STOPPING=1 at shutdown.
 * <pre>
 *   Optional&lt;ServiceNotifier&gt; n = ServiceNotifier.start(env, source, initialSyncs, log::warn); // before replicating
 *   replication.start(); n.ifPresent(ServiceNotifier::started);
 *   …  n.ifPresent(ServiceNotifier::stopping); replication.stop(); n.ifPresent(ServiceNotifier::close);
 * </pre>
 * The watchdog is fed from a snapshot of the replication taken on every tick (it takes each pipeline's lock) and
 * from {@link Source#alive()}: a wedged pipeline stops the pings, and systemd restarts the agent.
 */
public final class ServiceNotifier implements AutoCloseable {

    static final Duration TICK = Duration.ofSeconds(1);
    static final Duration EXTEND = Duration.ofSeconds(30);

    /** The running replication, as the notifier reads it. */
    public interface Source {
        ReplicationStatus status();

        /** Subscribes to the activity stream until closed. */
        AutoCloseable onActivity(Consumer<ReplicationStatus.Activity> listener);

        /** False while a replication thread has stopped making progress: no WATCHDOG=1 then. */
        boolean alive();
    }

    private final SdNotify socket;
    private final Source source;
    private final Readiness readiness;
    private final Optional<Duration> watchdog;
    private final Duration tick;
    private final Consumer<String> warn;
    private final AutoCloseable subscription;
    private final Thread thread;
    private volatile boolean started;
    private volatile boolean closed;
    private boolean ready;
    private String lastStatus;
    private boolean warnedSend;
    private boolean warnedWedged;

    ServiceNotifier(SdNotify socket, Source source, Set<String> initialSyncs, Optional<Duration> watchdog, Duration tick,
                    Consumer<String> warn) {
        this.socket = socket;
        this.source = source;
        this.readiness = new Readiness(initialSyncs);
        this.watchdog = watchdog;
        this.tick = tick;
        this.warn = warn;
        this.subscription = source.onActivity(readiness::saw);
        this.thread = new Thread(this::loop, "systemd-notify");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * A notifier when systemd asked for one ({@code $NOTIFY_SOCKET}), else empty. Call it before the replication
     * starts, so no initial sync's outcome is missed.
     *
     * @param initialSyncs "watch/target" of each target whose watch does an initial sync
     * @throws IOException when {@code $NOTIFY_SOCKET} is set but unusable
     */
    public static Optional<ServiceNotifier> start(Map<String, String> env, Source source, Set<String> initialSyncs,
                                                  Consumer<String> warn) throws IOException {
        Optional<SdNotify> socket = SdNotify.fromEnvironment(env);
        if (socket.isEmpty()) return Optional.empty();
        Optional<Duration> watchdog = Watchdog.interval(env, ProcessHandle.current().pid());
        Duration tick = watchdog.filter(w -> w.compareTo(TICK) < 0).orElse(TICK);
        return Optional.of(new ServiceNotifier(socket.get(), source, initialSyncs, watchdog, tick, warn));
    }

    /** Every watch is set up: READY=1 follows as soon as the initial syncs have run. */
    public void started() {
        started = true;
        thread.interrupt(); // tell now, not at the next tick
    }

    /** STOPPING=1: the agent is shutting down (sent from the caller's thread, whatever the loop is doing). */
    public void stopping() {
        closed = true;
        send("STOPPING=1\nSTATUS=stopping: running rsyncs finish, the queue is saved");
    }

    private void loop() {
        while (!closed) {
            ReplicationStatus status = source.status(); // blocks while a pipeline's lock is wedged: no ping then
            boolean alive = source.alive();
            StringBuilder message = new StringBuilder();
            if (!ready && started && readiness.ready(status)) {
                ready = true;
                message.append("READY=1\n");
            }
            if (!ready) message.append("EXTEND_TIMEOUT_USEC=").append(EXTEND.toNanos() / 1000).append('\n');
            String line = StatusLine.of(status, ready ? 0 : Math.max(1, readiness.waiting()));
            if (!line.equals(lastStatus)) message.append("STATUS=").append(line).append('\n');
            lastStatus = line;
            if (watchdog.isPresent() && alive) message.append("WATCHDOG=1\n");
            if (!alive && !warnedWedged) warn.accept("systemd watchdog: a replication thread makes no progress; "
                    + "not pinging, systemd will restart the agent");
            warnedWedged = !alive;
            if (message.length() > 0 && !closed) send(message.substring(0, message.length() - 1));
            try {
                Thread.sleep(tick.toMillis());
            } catch (InterruptedException e) {
                // started() or close(): look again now
            }
        }
    }

    private void send(String message) {
        try {
            socket.send(message);
            warnedSend = false;
        } catch (IOException e) {
            if (!warnedSend) warn.accept("systemd notify: " + e.getMessage());
            warnedSend = true;
        }
    }

    @Override public void close() {
        closed = true;
        thread.interrupt();
        try {
            subscription.close();
        } catch (Exception ignored) {
            // an unsubscription does not fail
        }
        try {
            thread.join(TICK.toMillis() * 2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        socket.close();
    }
}
