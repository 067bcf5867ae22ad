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
}
