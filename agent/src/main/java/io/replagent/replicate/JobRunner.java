package io.replagent.replicate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a batch's jobs phase by phase: phase 0 one job at a time, later phases in parallel on up to max_processes
 * threads; once a phase had a failure that is not a partial transfer, the later phases are not run (their jobs get a
 * failed result and go back to the queue). A failed auxiliary job (the link phase, its cleanup) stops nothing.
 */
final class JobRunner {

    private final RsyncRunner runner;
    private final ExecutorService pool;
    private final AtomicInteger inFlight = new AtomicInteger();

    JobRunner(RsyncRunner runner, int processes, String threadName) {
        this.runner = runner;
        this.pool = Executors.newFixedThreadPool(Math.max(1, processes), r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    /** One result per job, in the jobs' order. */
    List<RsyncRunner.Result> runAll(List<JobPlanner.Job> jobs) {
        return runAll(jobs, false);
    }

    /** {@code failed}: an earlier part of the batch failed (see {@link #stops}): none of the jobs is run. */
    List<RsyncRunner.Result> runAll(List<JobPlanner.Job> jobs, boolean failed) {
        RsyncRunner.Result[] results = new RsyncRunner.Result[jobs.size()];
        int last = jobs.stream().mapToInt(JobPlanner.Job::phase).max().orElse(0);
        for (int phase = 0; phase <= last; phase++) {
            Map<Integer, Future<RsyncRunner.Result>> running = new LinkedHashMap<>();
            for (int i = 0; i < jobs.size(); i++) {
                JobPlanner.Job job = jobs.get(i);
                if (job.phase() != phase) continue;
                if (failed) results[i] = RsyncRunner.Result.failed("not run: an earlier rsync of this batch failed");
                else if (phase == 0) results[i] = run(job.argv(), job.stdin());
                else running.put(i, pool.submit(() -> run(job.argv(), job.stdin())));
            }
            for (Map.Entry<Integer, Future<RsyncRunner.Result>> f : running.entrySet()) {
                try {
                    results[f.getKey()] = f.getValue().get();
                } catch (Exception e) {
                    results[f.getKey()] = RsyncRunner.Result.failed("cancelled at shutdown: " + e);
                }
            }
            for (int i = 0; i < jobs.size(); i++) {
                if (jobs.get(i).phase() == phase && stops(jobs.get(i), results[i])) failed = true;
            }
        }
        return new ArrayList<>(List.of(results));
    }

    /** Whether a job's outcome keeps the batch's later phases from running: a failure, not a partial transfer. */
    static boolean stops(JobPlanner.Job job, RsyncRunner.Result result) {
        if (job.kind().aux()) return false;
        RsyncExit outcome = RsyncExit.classify(result.exit(), result.rawError());
        return outcome != RsyncExit.OK && outcome != RsyncExit.PARTIAL;
    }

    RsyncRunner.Result run(List<String> argv, byte[] stdin) {
        inFlight.incrementAndGet();
        try {
            return runner.run(argv, stdin);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /** Runs {@code task} on one of the threads (beside the batch's jobs). */
    Future<?> submit(Runnable task) {
        return pool.submit(task);
    }

    /** Runs {@code task} on one of the threads, beside phase 0 (which runs on the caller's). */
    <T> Future<T> submit(java.util.concurrent.Callable<T> task) {
        return pool.submit(task);
    }

    /** Waits for a task of {@link #submit}; what it failed to do it tries again itself another time. */
    static void awaitQuietly(Future<?> task) {
        if (task == null) return;
        try {
            task.get();
        } catch (Exception e) {
            // nothing to add: the task keeps its own state
        }
    }

    /** The value of a task of {@link #submit(java.util.concurrent.Callable)} that gives an optional one; empty when it failed. */
    static <T> java.util.Optional<T> value(Future<java.util.Optional<T>> task) {
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.Optional.empty();
        } catch (Exception e) {
            return java.util.Optional.empty();
        }
    }

    /** rsyncs running now. */
    int inFlight() {
        return inFlight.get();
    }

    /** Lets running rsyncs finish up to {@code graceMillis}, then stops the threads. */
    void shutdown(long graceMillis) {
        pool.shutdown();
        try {
            pool.awaitTermination(graceMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pool.shutdownNow();
    }
}
