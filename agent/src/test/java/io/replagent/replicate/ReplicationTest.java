package io.replagent.replicate;

import io.replagent.state.State;
import io.replagent.state.Watch;
import io.replagent.testing.RsyncDaemon;
import io.replagent.testing.Trees;
import io.replagent.testing.Watches;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** End to end: real inotify, real rsync, a real daemon on 127.0.0.1; every test ends with source == target. */
class ReplicationTest {

    private static final Duration CONVERGE = Duration.ofSeconds(60);

    @TempDir Path tmp;
    private final List<AutoCloseable> closing = new ArrayList<>();
    private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();

    @AfterEach void close() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) closing.get(i).close();
    }

    private RsyncDaemon daemon(String name) throws IOException {
        RsyncDaemon d = RsyncDaemon.start(Files.createDirectories(tmp.resolve(name)));
        closing.add(d);
        return d;
    }

    private Path source() throws IOException {
        return Files.createDirectories(tmp.resolve("src"));
    }

    private Replication start(State state) throws IOException {
        Replication r = Replication.create(state, Map.of("PATH", System.getenv("PATH")), new PrintStream(logBytes, true));
        r.start();
        closing.add(r::stop);
        return r;
    }

    private String log() {
        return logBytes.toString(StandardCharsets.UTF_8);
    }

    private static void write(Path file, int size, Random random) throws IOException {
        byte[] b = new byte[size];
        random.nextBytes(b);
        Files.createDirectories(file.getParent());
        Files.write(file, b);
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + CONVERGE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    @Test void initialSyncThenBurstOfThousandsOfFilesAndNewDirectoriesFilledAtOnce() throws Exception {
        RsyncDaemon d = daemon("d");
        Path src = source();
        Random random = new Random(1);
        for (int i = 0; i < 50; i++) write(src.resolve("pre/f" + i), 100, random);
        start(Watches.state(tmp, Watches.watch(src, d.target("t"))));
        Trees.awaitEqual(src, d.module(), CONVERGE);
        for (int dir = 0; dir < 40; dir++) {
            for (int f = 0; f < 50; f++) write(src.resolve("burst/d" + dir + "/f" + f), 1000 + f, random);
        }
        for (int chain = 0; chain < 20; chain++) { // the race: a directory filled before its watch can exist
            Path deep = Files.createDirectories(src.resolve("race/m" + chain + "/b/c/d"));
            for (Path p = deep; !p.equals(src.resolve("race")); p = p.getParent()) write(p.resolve("x"), 10, random);
        }
        Trees.awaitEqual(src, d.module(), CONVERGE);
    }
}
