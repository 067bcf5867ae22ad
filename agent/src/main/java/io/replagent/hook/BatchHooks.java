package io.replagent.hook;

import io.replagent.replicate.Delivered;
import io.replagent.state.Watch;
import io.replagent.system.Processes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * The watches' {@code on_batch} hooks, called off the replication's threads: each watch with hooks has a bounded
 * queue and one thread that runs its exec hook, then its webhook, for one delivered batch after another. A full
 * queue drops the batch's call and counts it (a slow hook never holds up replication, and never grows memory);
 * every call is bounded by the hook's timeout; failures are logged and counted, never retried.
 * <pre>
 *   BatchHooks hooks = BatchHooks.start(state.watches(), new Processes(), log::warn);
 *   hooks.delivered(batch);   // from the settlement of a batch a target received in full
 *   hooks.close();
 * </pre>
 */
public final class BatchHooks implements AutoCloseable {

    static final int QUEUE = 256;

    /** One watch's call count for one hook and result (results: ok, failed, timeout, dropped). */
    public record Count(String watch, String hook, String result, long count) {}

    private final Map<String, Runner> runners = new java.util.concurrent.ConcurrentHashMap<>();
    private Processes processes;
    private int capacity;
    private Consumer<String> warn;

    /** The hooks of one watch: its queue, its thread, its counts. */
    private static final class Runner {
        final String watch;
        final Watch.BatchHook hook;
        final ExecHook exec;
        final Webhook webhook;
        final BlockingQueue<Delivered> queue;
        final Map<List<String>, LongAdder> counts = new ConcurrentHashMap<>();
        final Consumer<String> warn;
        final Thread thread;
        volatile boolean closing;
        volatile boolean droppedSinceWarned;

        Runner(String watch, Watch.BatchHook hook, Processes processes, int capacity, Consumer<String> warn) {
            this.watch = watch;
            this.hook = hook;
            this.exec = hook.exec().isEmpty() ? null : new ExecHook(hook.exec(), hook.timeout(), processes);
            this.webhook = hook.webhook().map(url -> new Webhook(url, hook.timeout())).orElse(null);
            this.queue = new ArrayBlockingQueue<>(capacity);
            this.warn = warn;
            this.thread = new Thread(this::loop, "hooks-" + watch);
            thread.setDaemon(true);
        }

        void offer(Delivered d) {
            if (queue.offer(d)) return;
            if (exec != null) count("exec", "dropped");
            if (webhook != null) count("webhook", "dropped");
            if (!droppedSinceWarned) {
                droppedSinceWarned = true;
                warn.accept("watch " + watch + ": on_batch hooks are " + queue.size() + " batches behind: calls are dropped "
                        + "(counted in agent_hook_calls_total{result=\"dropped\"}) until they catch up");
            }
        }

        void loop() {
            while (!closing) {
                Delivered d;
                try {
                    d = queue.take();
                } catch (InterruptedException e) {
                    return;
                }
                if (queue.isEmpty()) droppedSinceWarned = false;
                if (exec != null) record(d, "exec", exec.call(d));
                if (webhook != null) record(d, "webhook", webhook.call(d));
            }
        }

        void record(Delivered d, String hook, Outcome outcome) {
            count(hook, outcome.result());
            if (outcome.message() != null) {
                warn.accept("watch " + d.watch() + " target " + d.target() + ": on_batch " + hook + " " + outcome.result()
                        + ": " + outcome.message());
            }
        }

        void count(String hook, String result) {
            counts.computeIfAbsent(List.of(hook, result), k -> new LongAdder()).increment();
        }
    }

    private BatchHooks() {}

    /**
     * Starts a thread per watch that has {@code on_batch}.
     *
     * @param warn where failed, timed-out and dropped calls are reported
     */
    public static BatchHooks start(List<Watch> watches, Processes processes, Consumer<String> warn) {
        return start(watches, processes, QUEUE, warn);
    }

    static BatchHooks start(List<Watch> watches, Processes processes, int capacity, Consumer<String> warn) {
        BatchHooks hooks = new BatchHooks();
        hooks.processes = processes;
        hooks.capacity = capacity;
        hooks.warn = warn;
        hooks.retune(watches);
        return hooks;
    }

    /**
     * A reload: the hooks of these watches from now on. A watch whose hook is unchanged keeps its queue and counts; a
     * changed or removed one stops (its queued calls are not made), a new one starts.
     */
    public synchronized void retune(List<Watch> watches) {
        Map<String, Watch.BatchHook> wanted = new LinkedHashMap<>();
        for (Watch w : watches) w.onBatch().ifPresent(h -> wanted.put(w.name(), h));
        for (Runner r : List.copyOf(runners.values())) {
            if (!r.hook.equals(wanted.get(r.watch))) {
                runners.remove(r.watch);
                r.closing = true;
                r.thread.interrupt();
            }
        }
        wanted.forEach((name, hook) -> runners.computeIfAbsent(name, n -> {
            Runner r = new Runner(n, hook, processes, capacity, warn);
            r.thread.start();
            return r;
        }));
    }

    /** Queues the hooks of the batch's watch (none: nothing happens). Never blocks. */
    public void delivered(Delivered d) {
        Runner r = runners.get(d.watch());
        if (r != null) r.offer(d);
    }

    /** The calls so far, per watch, hook and result. */
    public List<Count> counts() {
        List<Count> out = new ArrayList<>();
        for (Runner r : runners.values()) {
            r.counts.forEach((key, n) -> out.add(new Count(r.watch, key.get(0), key.get(1), n.sum())));
        }
        out.sort(java.util.Comparator.comparing(Count::watch).thenComparing(Count::hook).thenComparing(Count::result));
        return out;
    }

    /** Stops the threads; a hook running now ends within its timeout, queued calls are not made. */
    @Override public void close() {
        for (Runner r : runners.values()) {
            r.closing = true;
            r.thread.interrupt();
        }
    }
}
