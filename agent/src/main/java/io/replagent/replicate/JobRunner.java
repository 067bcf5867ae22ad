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
        RsyncRunner.Result[] results = new RsyncRunner.Result[jobs.size()];
        int last = jobs.stream().mapToInt(JobPlanner.Job::phase).max().orElse(0);
        boolean failed = false;
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
                if (jobs.get(i).phase() != phase || jobs.get(i).kind().aux()) continue;
                RsyncExit outcome = RsyncExit.classify(results[i].exit(), results[i].rawError());
                if (outcome != RsyncExit.OK && outcome != RsyncExit.PARTIAL) failed = true;
            }
        }
        return new ArrayList<>(List.of(results));
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

    /** Waits for a task of {@link #submit}; what it failed to do it tries again itself another time. */
    static void awaitQuietly(Future<?> task) {
        if (task == null) return;
        try {
            task.get();
        } catch (Exception e) {
            // nothing to add: the task keeps its own state
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
