package io.replagent.replicate;

import io.replagent.testing.RsyncDaemon;
import io.replagent.testing.Trees;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The agent as a process: killed with SIGKILL and started again it loses nothing; SIGTERM stops it cleanly. */
class StandaloneTest {

    @TempDir Path tmp;

    private Process start(Path src, RsyncDaemon d, String... prefix) throws Exception {
        List<String> argv = new ArrayList<>(List.of(prefix));
        argv.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dsun.jnu.encoding=UTF-8", "-Dfile.encoding=UTF-8",
                Standalone.class.getName(), src.toString(), "rsync://" + RsyncDaemon.USER + "@127.0.0.1:" + d.port() + "/"
                + RsyncDaemon.MODULE + "/", d.passwordFile().toString(), "0.1", tmp.resolve("state").toString()));
        return new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(tmp.resolve("agent.log").toFile()))
                .start();
    }

    @Test void killedAndRestartedLosesNothingAndTermStopsCleanly() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.writeString(src.resolve("before"), "b");
        try (RsyncDaemon d = RsyncDaemon.start(Files.createDirectories(tmp.resolve("d")))) {
            Process agent = start(src, d);
            try {
                Trees.awaitEqual(src, d.module(), Duration.ofSeconds(60));
                agent.destroyForcibly().waitFor(); // kill -9: no chance to save anything
                Files.writeString(src.resolve("while-dead"), "w");
                Files.delete(src.resolve("before"));
                agent = start(src, d);
                Trees.awaitEqual(src, d.module(), Duration.ofSeconds(60));
                Files.writeString(src.resolve("live"), "l");
                Trees.awaitEqual(src, d.module(), Duration.ofSeconds(60));
                agent.destroy(); // SIGTERM
                assertTrue(agent.waitFor(20, TimeUnit.SECONDS), "stopped on SIGTERM");
                String log = Files.readString(tmp.resolve("agent.log"));
                assertTrue(log.contains(" info stopped"), log);
            } finally {
                agent.destroyForcibly();
            }
        }
    }

    /**
     * The watch limit, hit for real: in a user namespace of its own (so nothing else on the machine is affected)
     * the agent may hold 3 watches, and the tree has 6 directories.
     */
    @Test void watchLimitIsAClearErrorNamingTheSetting() throws Exception {
        Assumptions.assumeTrue(new ProcessBuilder("unshare", "-U", "-r", "true").start().waitFor() == 0,
                "user namespaces are available");
        Path src = Files.createDirectories(tmp.resolve("src/a/b/c/d/e"));
        try (RsyncDaemon d = RsyncDaemon.start(Files.createDirectories(tmp.resolve("d")))) {
            Process agent = start(tmp.resolve("src"), d, "unshare", "-U", "-r", "/bin/sh", "-c",
                    "echo 3 > /proc/sys/user/max_inotify_watches && exec \"$0\" \"$@\"");
            assertTrue(agent.waitFor(30, TimeUnit.SECONDS), "exits");
            String log = Files.readString(tmp.resolve("agent.log"));
            assertEquals(1, agent.exitValue(), log);
            assertTrue(log.contains("fs.inotify.max_user_watches") && log.contains("needs 6 watches")
                    && log.contains("settings.inotify.max_user_watches"), log);
            assertTrue(Files.exists(src));
        }
    }
}
