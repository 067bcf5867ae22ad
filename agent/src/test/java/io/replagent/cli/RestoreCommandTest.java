package io.replagent.cli;

import io.replagent.control.ControlClient;
import io.replagent.state.Settings;
import io.replagent.testing.AgentProcess;
import io.replagent.testing.Trees;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * History end to end: `agent apply` as its own process converges a backup server (module with history) and a source
 * whose daemon target keeps history, replicates; `agent versions` and `agent restore` read the target. On both watch
 * backends.
 */
@Tag("e2e")
@ParameterizedClass(name = "{0}")
@EnumSource(value = Settings.WatchBackend.class, names = {"INOTIFY", "FANOTIFY"})
class RestoreCommandTest {

    /** The watch backend of this run: every test here replicates, on both. */
    @Parameter Settings.WatchBackend backend;

    @TempDir Path root;
    Path state;
    Path source;
    Path backup;
    Path socket;
    final List<AgentProcess> agents = new ArrayList<>();

    @BeforeEach
    void writeState() throws IOException {
        state = AgentProcess.writeLoopbackState(root, backend);
        String yaml = Files.readString(state)
                .replace("password_file: /etc/rsync.passwd } ]", "password_file: /etc/rsync.passwd, history: true } ]")
                .replace("hosts_allow: [127.0.0.1] }", "hosts_allow: [127.0.0.1], history: { keep: 30d } }");
        Files.writeString(state, yaml);
        source = root.resolve("srv/source");
        backup = root.resolve("srv/backup");
        socket = root.resolve("run/agent/agent.sock");
        Files.createDirectories(source);
    }

    @AfterEach
    void stopEverything() throws Exception {
        for (AgentProcess agent : agents) agent.close();
        Path pidFile = root.resolve("run/rsyncd.pid");
        if (Files.exists(pidFile)) CliFixture.stopDaemon(pidFile);
    }

    private AgentProcess startAgent() throws Exception {
        AgentProcess agent = AgentProcess.start(state, root, socket, AgentProcess.ENV, root.resolve("agent-" + agents.size() + ".log"));
        agents.add(agent);
        return agent;
    }

    private CliFixture.Run run(String... args) {
        return CliFixture.run(List.of(args), "", false, AgentProcess.ENV);
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("not within 30 s: " + what);
            Thread.sleep(50);
        }
    }

    private long keptCopies() {
        try (var s = Files.walk(backup.resolve(".agent/history"))) {
            return s.filter(Files::isRegularFile).count();
        } catch (IOException e) {
            return 0;
        }
    }

    @Test
    void aDeletedFileIsListedAsDeletedAndRestoredByteIdenticalWithModeAndMtime() throws Exception {
        Path doc = Files.writeString(source.resolve("report.txt"), "quarterly figures\n");
        Files.setPosixFilePermissions(doc, PosixFilePermissions.fromString("rw-r-----"));
        FileTime mtime = FileTime.from(Instant.parse("2026-06-01T12:34:56Z"));
        Files.setLastModifiedTime(doc, mtime);
        startAgent();
        Trees.awaitEqual(source, backup, Duration.ofSeconds(20));
        Instant beforeDelete = Instant.now();
        Thread.sleep(20);
        Files.delete(doc);
        await(() -> !Files.exists(backup.resolve("report.txt")), "the delete replicated");

        CliFixture.Run versions = run("versions", state.toString(), "src", "report.txt", "--root", root.toString());
        assertEquals(0, versions.exit(), versions.err());
        assertTrue(versions.out().matches("(?s)TIME \\(UTC\\).*\\n20\\d\\d-\\d\\d-\\d\\dT[0-9:.]{12}Z +18  deleted +report.txt\\n"),
                versions.out());
        JsonNode json = JsonMapper.builder().build().readTree(run("versions", state.toString(), "src", "report.txt", "--root",
                root.toString(), "--json").out());
        assertEquals("deleted", json.path("versions").get(0).path("kind").asString());
        assertEquals(18, json.path("versions").get(0).path("size").asInt());

        Path to = root.resolve("restored");
        CliFixture.Run restore = run("restore", state.toString(), "src", "--as-of", beforeDelete.toString(), "--to", to.toString(),
                "--root", root.toString());
        assertEquals(0, restore.exit(), restore.err() + restore.out());
        assertTrue(restore.out().startsWith("restored 1 files (0.0 MiB) as of "), restore.out());
        Path back = to.resolve("report.txt");
        assertEquals("quarterly figures\n", Files.readString(back));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(back)));
        assertEquals(mtime, Files.getLastModifiedTime(back));
        assertFalse(Files.exists(source.resolve("report.txt")), "the live source is not touched");
        // the default destination is a new directory beside the source; a second restore never writes over it
        CliFixture.Run beside = run("restore", state.toString(), "src", "--as-of", beforeDelete.toString(), "--root", root.toString());
        assertEquals(0, beside.exit(), beside.err());
        try (var siblings = Files.list(source.getParent())) {
            assertTrue(siblings.anyMatch(p -> p.getFileName().toString().startsWith("source.restored-")
                    && Files.exists(p.resolve("report.txt"))));
        }
        CliFixture.Run over = run("restore", state.toString(), "src", "--to", to.toString(), "--root", root.toString());
        assertEquals(1, over.exit());
        assertTrue(over.err().contains("exists and is not empty"), over.err());
    }

    @Test
    void ransomwareRewritingEveryFileInPlaceIsUndoneAsOfBefore() throws Exception {
        Random random = new Random(3);
        Map<String, String> originals = new TreeMap<>();
        for (int i = 0; i < 1000; i++) {
            byte[] b = new byte[200 + random.nextInt(3000)];
            random.nextBytes(b);
            Path p = Files.createDirectories(source.resolve("d" + i % 20)).resolve("f" + i);
            Files.write(p, b);
            originals.put(source.relativize(p).toString(), sha(b));
        }
        startAgent();
        Trees.awaitEqual(source, backup, Duration.ofSeconds(60));
        Instant before = Instant.now();
        Thread.sleep(20);
        Map<String, String> encrypted = new TreeMap<>();
        int n = 0;
        for (String rel : originals.keySet()) {
            Path p = source.resolve(rel);
            FileTime old = Files.getLastModifiedTime(p);
            byte[] junk = new byte[(int) Files.size(p)];
            random.nextBytes(junk);
            Files.write(p, junk);
            if (n++ % 2 == 0) Files.setLastModifiedTime(p, old); // half of them with the mtime put back
            encrypted.put(rel, sha(junk));
        }
        Trees.awaitEqual(source, backup, Duration.ofSeconds(60));
        Path to = root.resolve("undone");
        CliFixture.Run restore = run("restore", state.toString(), "src", "--as-of", before.toString(), "--to", to.toString(),
                "--root", root.toString());
        assertEquals(0, restore.exit(), restore.err());
        assertTrue(restore.out().startsWith("restored 1000 files"), restore.out());
        for (Map.Entry<String, String> e : originals.entrySet()) {
            assertEquals(e.getValue(), sha(Files.readAllBytes(to.resolve(e.getKey()))), e.getKey());
            assertEquals(encrypted.get(e.getKey()), sha(Files.readAllBytes(source.resolve(e.getKey()))), "live source untouched");
        }
    }

    @Test
    void renamedThenHalfDeletedThenRecreatedEachStepRestoresExactly() throws Exception {
        for (int i = 0; i < 10; i++) Files.writeString(Files.createDirectories(source.resolve("tree/sub")).resolve("f" + i), "v" + i);
        startAgent();
        List<Path> snapshots = new ArrayList<>();
        List<Instant> times = new ArrayList<>();
        Runnable[] steps = {
                () -> { },
                () -> move("tree", "renamed"),
                () -> { for (int i = 0; i < 5; i++) delete("renamed/sub/f" + i); },
                () -> write("tree/sub/f3", "recreated at an old path"),
        };
        for (int s = 0; s < steps.length; s++) {
            steps[s].run();
            Trees.awaitEqual(source, backup, Duration.ofSeconds(20));
            Thread.sleep(300); // the batch is over: a time between this step's batch and the next
            times.add(Instant.now());
            Path snap = root.resolve("snap" + s);
            Trees.copy(source, snap);
            snapshots.add(snap);
            Thread.sleep(300);
        }
        for (int s = 0; s < steps.length; s++) {
            Path to = root.resolve("step" + s);
            CliFixture.Run r = run("restore", state.toString(), "src", "--as-of", times.get(s).toString(), "--to", to.toString(),
                    "--root", root.toString());
            assertEquals(0, r.exit(), r.err());
            Trees.assertEqual(snapshots.get(s), to);
            Trees.assertEqual(to, snapshots.get(s));
        }
    }

    @Test
    void aRenamedTreeKeepsNoCopiesYetRestoresAsItWasBeforeTheMoveAndBeforeALaterChange() throws Exception {
        for (int i = 0; i < 300; i++) write("tree/d" + i % 10 + "/f" + i, "v" + i);
        Files.createDirectories(source.resolve("tree/empty"));
        startAgent();
        Trees.awaitEqual(source, backup, Duration.ofSeconds(20));
        Path before = root.resolve("before");
        Trees.copy(source, before);
        Thread.sleep(300);
        Instant beforeMove = Instant.now();
        Thread.sleep(300);
        long copies = keptCopies();
        move("tree", "renamed");
        Trees.awaitEqual(source, backup, Duration.ofSeconds(20));
        Thread.sleep(500); // the batch's journal lines are written before it counts
        assertEquals(copies, keptCopies(), "the move's old names went without copies: the new names hold them");
        CliFixture.Run versions = run("versions", state.toString(), "src", "tree/d3/f3", "--root", root.toString(), "--json");
        JsonNode moved = JsonMapper.builder().build().readTree(versions.out()).path("versions").get(0);
        assertEquals("moved", moved.path("kind").asString(), versions.out());
        assertEquals("renamed/d3/f3", moved.path("moved_to").asString(), versions.out());
        write("renamed/d3/f3", "changed after the move"); // its --backup keeps the linked copy: the old name's content
        await(() -> keptCopies() == copies + 1, "the change kept the copy it replaced");
        Path to = root.resolve("restored");
        CliFixture.Run r = run("restore", state.toString(), "src", "--as-of", beforeMove.toString(), "--to", to.toString(),
                "--root", root.toString());
        assertEquals(0, r.exit(), r.err());
        Trees.assertEqual(before, to);
        Trees.assertEqual(to, before);
        assertTrue(Files.isDirectory(to.resolve("tree/empty")), "an empty directory of the moved tree too");
        Path part = root.resolve("part");
        r = run("restore", state.toString(), "src", "tree/d3", "--as-of", beforeMove.toString(), "--to", part.toString(),
                "--root", root.toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals("v3", Files.readString(part.resolve("tree/d3/f3")));
        assertEquals(30, Trees.countFiles(part));
    }

    @Test
    void kill9BetweenBatchesLosesNoVersionAndHistorySurvivesFullSyncsAndAHandDeletion() throws Exception {
        write("a.txt", "one");
        AgentProcess first = startAgent();
        Trees.awaitEqual(source, backup, Duration.ofSeconds(20));
        write("a.txt", "two!");
        await(() -> keptCopies() == 1, "the first version kept");
        Thread.sleep(200);
        first.process().destroyForcibly(); // kill -9 between batches
        assertTrue(first.process().waitFor(10, TimeUnit.SECONDS));
        write("a.txt", "three");   // while no agent runs: the restart's initial (full) sync keeps "two!"
        startAgent();
        await(() -> keptCopies() == 2, "the full sync at start kept the version it replaced");
        CliFixture.Run versions = run("versions", state.toString(), "src", "a.txt", "--root", root.toString(), "--json");
        JsonNode list = JsonMapper.builder().build().readTree(versions.out()).path("versions");
        assertEquals(2, list.size(), versions.out());
        assertEquals(List.of(4, 3), List.of(list.get(0).path("size").asInt(), list.get(1).path("size").asInt()));
        // an operator's full sync (the console's sync) keeps the history as it is
        try (ControlClient client = ControlClient.connect(socket)) {
            client.call("sync", JsonMapper.builder().build().createObjectNode().put("target", "src/backup"));
        }
        Thread.sleep(1000);
        assertEquals(2, keptCopies());
        // the history deleted by hand: the next change is kept again
        deleteTree(backup.resolve(".agent/history"));
        write("a.txt", "four.");
        await(() -> keptCopies() == 1, "a new history after the hand deletion");
        assertEquals("three", Files.readString(Files.walk(backup.resolve(".agent/history")).filter(Files::isRegularFile)
                .findFirst().orElseThrow()));
    }

    /**
     * An inotify queue overflow: versions kept before it stay listed and restorable, and what the burst replaced and
     * deleted after the queue was full (events the kernel dropped) is kept by the overflow's full sync. The agent is
     * stopped (SIGSTOP) while the burst fills its queue, so the overflow is certain and no sysctl is changed; the
     * burst is attribute changes of two empty directories (each chmod queues two events, and an empty directory has
     * no version to keep), then the replace, delete and create whose events are lost. fanotify is not run: the agent
     * asks for FAN_UNLIMITED_QUEUE, which root always gets, and an unlimited queue cannot overflow.
     */
    @Test
    void anOverflowKeepsEveryVersionAndItsFullSyncKeepsWhatTheLostEventsReplacedAndDeleted() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(backend == Settings.WatchBackend.INOTIFY, "fanotify's queue is "
                + "unlimited (FAN_UNLIMITED_QUEUE, granted to root): it cannot overflow");
        Map<String, String> atStart = new TreeMap<>(Map.of("a.txt", "one", "b.txt", "bee", "gone.txt", "gone soon",
                "keep.txt", "kept"));
        atStart.forEach(this::write);
        Files.createDirectories(source.resolve("flip0"));
        Files.createDirectories(source.resolve("flip1"));
        AgentProcess agent = startAgent();
        Trees.awaitEqual(source, backup, Duration.ofSeconds(20));
        Instant t0 = Instant.now();
        Thread.sleep(20);
        write("a.txt", "two!");
        delete("b.txt");
        await(() -> keptCopies() == 2 && !Files.exists(backup.resolve("b.txt")), "the batch before the overflow kept 2 versions");
        await(() -> "idle".equals(target(status())), "idle before the overflow");
        Instant t1 = Instant.now();
        Map<String, String> beforeBurst = new TreeMap<>(Map.of("a.txt", "two!", "gone.txt", "gone soon", "keep.txt", "kept"));

        long pid = agent.process().pid();
        signal("STOP", pid);
        awaitStopped(pid);
        Instant burst = Instant.now();
        long queue = new io.replagent.system.Sysctl(io.replagent.system.Sysctl.PROC_SYS).read("fs.inotify.max_queued_events")
                .orElseThrow();
        for (long i = 0; i < queue + 100; i++) {
            Path dir = source.resolve(i % 2 == 0 ? "flip0" : "flip1");
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(i % 4 < 2 ? "rwx------" : "rwxr-xr-x"));
        }
        for (String d : List.of("flip0", "flip1")) Files.setPosixFilePermissions(source.resolve(d), PosixFilePermissions.fromString("rwxr-xr-x"));
        write("a.txt", "three"); // the queue is full: these three events are dropped
        delete("gone.txt");
        write("new.txt", "brand new");
        signal("CONT", pid);
        await(() -> status().path("watches").get(0).path("overflows").asLong() > 0, "the overflow was seen");
        Trees.awaitEqual(source, backup, Duration.ofSeconds(30));
        await(() -> "idle".equals(target(status())), "idle after the overflow's full sync");
        assertTrue(agent.log().contains("inotify queue overflow"), agent.log());

        JsonNode all = JsonMapper.builder().build().readTree(run("versions", state.toString(), "src", ".", "--root",
                root.toString(), "--json").out()).path("versions");
        List<String> listed = new ArrayList<>();
        Map<String, Instant> times = new TreeMap<>();
        for (JsonNode v : all) {
            listed.add(v.path("path").asString() + " " + v.path("kind").asString() + " " + v.path("size").asInt());
            times.put(v.path("path").asString() + " " + v.path("size").asInt(), Instant.parse(v.path("time").asString()));
        }
        listed.sort(null);
        assertEquals(List.of("a.txt replaced 3", "a.txt replaced 4", "b.txt deleted 3", "gone.txt deleted 9"), listed,
                all.toPrettyString());
        for (String before : List.of("a.txt 3", "b.txt 3")) {
            assertTrue(times.get(before).isAfter(t0) && times.get(before).isBefore(t1), before + " kept by the batch: " + times);
        }
        for (String during : List.of("a.txt 4", "gone.txt 9")) {
            assertTrue(times.get(during).isAfter(burst), during + " kept by the overflow's full sync: " + times);
        }
        assertEquals("two!", Files.readString(backup.resolve(".agent/history/" + io.replagent.history.Layout.batch(times.get("a.txt 4")) + "/a.txt")));

        Map<String, String> now = new TreeMap<>(Map.of("a.txt", "three", "keep.txt", "kept", "new.txt", "brand new"));
        List<Map<String, String>> expected = List.of(atStart, beforeBurst, now);
        List<Instant> asOf = List.of(t0, t1, Instant.now());
        for (int i = 0; i < asOf.size(); i++) {
            Path to = root.resolve("as-of-" + i);
            CliFixture.Run r = run("restore", state.toString(), "src", "--as-of", asOf.get(i).toString(), "--to", to.toString(),
                    "--root", root.toString());
            assertEquals(0, r.exit(), r.err());
            assertEquals(expected.get(i), files(to), "as of " + asOf.get(i));
        }
    }

    private JsonNode status() {
        try (ControlClient client = ControlClient.connect(socket)) {
            return client.call("status", null);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String target(JsonNode status) {
        return status.path("watches").get(0).path("targets").get(0).path("state").asString();
    }

    private static void signal(String name, long pid) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", "-" + name, String.valueOf(pid)).inheritIO().start().waitFor(), "kill -" + name);
    }

    /** Every thread of the process is stopped (a group stop reaches each thread on its own). */
    private static void awaitStopped(long pid) throws Exception {
        await(() -> {
            try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
                return tasks.allMatch(t -> {
                    try {
                        String stat = Files.readString(t.resolve("stat"));
                        return stat.substring(stat.lastIndexOf(')') + 2).startsWith("T");
                    } catch (IOException e) {
                        return true; // the thread ended
                    }
                });
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, "the agent stopped");
    }

    /** The regular files under a directory, by relative path, with their content. */
    private static Map<String, String> files(Path top) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (var all = Files.walk(top)) {
            for (Path p : all.filter(Files::isRegularFile).toList()) out.put(top.relativize(p).toString(), Files.readString(p));
        }
        return out;
    }

    private void write(String rel, String content) {
        try {
            Files.createDirectories(source.resolve(rel).getParent());
            Files.writeString(source.resolve(rel), content);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void delete(String rel) {
        try {
            Files.delete(source.resolve(rel));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void move(String from, String to) {
        try {
            Files.move(source.resolve(from), source.resolve(to));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path top) throws IOException {
        try (var all = Files.walk(top)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    private static String sha(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
