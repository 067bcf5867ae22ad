package io.replagent.replicate;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real rsync between two local directories: the stdin list, the counts from --stats, the exit codes. */
@Tag("e2e")
class RsyncRunnerTest {

    @TempDir Path tmp;

    @Test void sendsTheListedPathsAndCountsThem() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Path dst = Files.createDirectories(tmp.resolve("dst"));
        Files.writeString(src.resolve("-a file"), "12345");
        Files.writeString(src.resolve("; like a comment"), "y");
        Files.writeString(src.resolve("#also"), "z");
        Files.writeString(src.resolve("not listed"), "x");
        RsyncRunner runner = new RsyncRunner(Map.of("PATH", System.getenv("PATH")));
        RsyncRunner.Result r = runner.run(List.of("rsync", "-a", "--stats", "--from0", "--files-from=-", src + "/", dst + "/"),
                RsyncArgs.pathList(List.of("-a file", "; like a comment", "#also")));
        assertEquals(0, r.exit(), r.error());
        assertEquals(3, r.files());
        assertTrue(r.bytes() > 5);
        assertTrue(Files.exists(dst.resolve("-a file")));
        assertTrue(Files.exists(dst.resolve("; like a comment")) && Files.exists(dst.resolve("#also")), "not comments");
        assertTrue(!Files.exists(dst.resolve("not listed")));
    }

    @Test void failuresKeepTheirExitCodeAndErrorText() {
        RsyncRunner runner = new RsyncRunner(Map.of("PATH", System.getenv("PATH")));
        RsyncRunner.Result r = runner.run(List.of("rsync", "-a", "rsync://127.0.0.1:1/none/", tmp.toString()), null);
        assertEquals(10, r.exit());
        assertTrue(r.error().contains("Connection refused"), r.error());
        assertEquals(-1, runner.run(List.of("/nonexistent/rsync"), null).exit());
    }

    @Test void aRunWithProgressReportsItsFiguresAndStillCountsItsStats() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Path dst = Files.createDirectories(tmp.resolve("dst"));
        byte[] chunk = new byte[200_000];
        new java.util.Random(7).nextBytes(chunk);
        for (int i = 0; i < 20; i++) Files.write(src.resolve("f" + i), chunk);
        RsyncRunner runner = new RsyncRunner(Map.of("PATH", System.getenv("PATH")));
        List<RsyncProgress> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Boolean> ended = new java.util.concurrent.CopyOnWriteArrayList<>();
        runner.onProgress(p -> { if (p == null) ended.add(true); else seen.add(p); });
        RsyncRunner.Result r = runner.run(List.of("rsync", "-a", "--stats", RsyncArgs.PROGRESS, "--bwlimit=2000", src + "/",
                dst + "/"), null);
        assertEquals(0, r.exit(), r.error());
        assertEquals(20, r.files(), "--stats still read: " + r.output());
        assertTrue(seen.size() >= 5, "a figure per file at least: " + seen);
        RsyncProgress last = seen.get(seen.size() - 1);
        assertEquals(4_000_000, last.bytes());
        assertEquals(20, last.files());
        assertEquals(0, last.toCheck());
        for (int i = 1; i < seen.size(); i++) assertTrue(seen.get(i).bytes() >= seen.get(i - 1).bytes(), seen.toString());
        assertEquals(List.of(true), ended, "told once that the run is over");
        assertTrue(!r.output().contains("xfr#"), "progress lines are not kept with the output");
    }
}
