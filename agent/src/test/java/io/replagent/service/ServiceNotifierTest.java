package io.replagent.service;

import static io.replagent.testing.Statuses.activity;
import static io.replagent.testing.Statuses.idle;
import static io.replagent.testing.Statuses.target;
import static io.replagent.testing.Statuses.watch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.replagent.replicate.ReplicationStatus;
import io.replagent.system.SdNotify;
import io.replagent.testing.NotifySocket;
import io.replagent.testing.Statuses;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The notifier against a notify socket the test binds, as systemd would; its ticks are 100 ms here. */
@Tag("e2e")
class ServiceNotifierTest {

    static final Duration TICK = Duration.ofMillis(100);

    /** A replication the test steers: its status, its activities, whether it is alive, and a wedge. */
    static final class Replica implements ServiceNotifier.Source {
        volatile ReplicationStatus status = Statuses.of(watch("data", 1, 0, 0, null,
                target("a", "syncing", null, 1, 0, null, 0, 0, 0, 0, 0)));
        volatile boolean alive = true;
        volatile CountDownLatch wedge = new CountDownLatch(0);
        final List<Consumer<ReplicationStatus.Activity>> listeners = new CopyOnWriteArrayList<>();

        @Override public ReplicationStatus status() {
            try {
                wedge.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return status;
        }

        @Override public AutoCloseable onActivity(Consumer<ReplicationStatus.Activity> listener) {
            listeners.add(listener);
            return () -> listeners.remove(listener);
        }

        @Override public boolean alive() {
            return alive;
        }
    }


    /** Everything that arrives within {@code millis}. */
    static List<String> during(NotifySocket socket, int millis) throws Exception {
        List<String> seen = new ArrayList<>();
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (System.nanoTime() < deadline) socket.receive(20).ifPresent(seen::add);
        return seen;
    }

    @Test
    void readyOnlyOnceStartedAndTheInitialSyncRanThenWatchdogPingsWhileAliveAndStoppingAtTheEnd(@TempDir Path dir)
            throws Exception {
        Replica replica = new Replica();
        List<String> warnings = new CopyOnWriteArrayList<>();
        try (NotifySocket systemd = new NotifySocket(dir.resolve("notify").toString());
             ServiceNotifier n = new ServiceNotifier(SdNotify.open(systemd.name()), replica, Set.of("data/a"),
                     Optional.of(TICK), TICK, warnings::add)) {
            List<String> first = systemd.receiveUntil("STATUS=", Duration.ofSeconds(10));
            assertTrue(first.get(first.size() - 1).contains("EXTEND_TIMEOUT_USEC=30000000"), first.toString());
            assertTrue(first.get(first.size() - 1).contains("STATUS=initial sync, 1 of 1 left; 1 watch, 1 target"), first.toString());
            replica.listeners.forEach(l -> l.accept(activity("data", "a", "initial", 0)));
            replica.status = Statuses.of(watch("data", 1, 0, 0, null, idle("a", Instant.EPOCH)));
            List<String> beforeStart = during(systemd, 400);
            assertFalse(beforeStart.stream().anyMatch(m -> m.contains("READY=1")), "watches not set up yet: " + beforeStart);
            assertTrue(beforeStart.stream().allMatch(m -> m.contains("WATCHDOG=1")), beforeStart.toString());
            n.started();
            List<String> ready = systemd.receiveUntil("READY=1", Duration.ofSeconds(10));
            assertTrue(ready.get(ready.size() - 1).contains("STATUS=1 watch, 1 target, up to date"), ready.toString());
            List<String> after = during(systemd, 400);
            assertTrue(after.size() >= 2 && after.stream().allMatch(m -> m.equals("WATCHDOG=1")),
                    "pings, READY and EXTEND once only, STATUS when it changes: " + after);

            replica.alive = false;
            during(systemd, 150); // a tick that began before
            List<String> wedged = during(systemd, 400);
            assertFalse(wedged.stream().anyMatch(m -> m.contains("WATCHDOG")), wedged.toString());
            assertEquals(List.of("systemd watchdog: a replication thread makes no progress; not pinging, systemd will "
                    + "restart the agent"), warnings);
            replica.alive = true;
            systemd.receiveUntil("WATCHDOG=1", Duration.ofSeconds(10));

            replica.wedge = new CountDownLatch(1); // a pipeline's lock held forever: the snapshot never comes
            during(systemd, 150);
            assertEquals(List.of(), during(systemd, 400), "no ping while the status cannot be taken");
            replica.wedge.countDown();
            systemd.receiveUntil("WATCHDOG=1", Duration.ofSeconds(10));

            n.stopping();
            assertEquals("STOPPING=1\nSTATUS=stopping: running rsyncs finish, the queue is saved", systemd.receiveUntil("STOPPING=1", Duration.ofSeconds(10))
                    .stream().filter(m -> m.contains("STOPPING")).findFirst().orElseThrow());
        }
        assertTrue(replica.listeners.isEmpty(), "closed: unsubscribed");
    }

    @Test
    void withoutNotifySocketThereIsNoNotifier() throws Exception {
        assertEquals(Optional.empty(), ServiceNotifier.start(Map.of("WATCHDOG_USEC", "1000000"), new Replica(), Set.of(),
                w -> {}));
    }
}
