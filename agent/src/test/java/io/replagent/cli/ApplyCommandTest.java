package io.replagent.cli;

import org.junit.jupiter.api.Tag;
import io.replagent.testing.AgentProcess;
import io.replagent.testing.Trees;

import io.replagent.testing.Ports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.replagent.converge.ApplyLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("e2e")
class ApplyCommandTest {

    @TempDir Path root;
    @TempDir Path dir;
    private String runAs;
    private Path file;

    @BeforeEach void state() throws Exception {
        runAs = "agt" + Long.toHexString(ThreadLocalRandom.current().nextLong(0x10000000L, 0xFFFFFFFFL));
        file = CliFixture.write(dir, CliFixture.backupServer(runAs, Ports.free(), "process"));
    }

    @AfterEach void cleanUp() throws Exception {
        CliFixture.stopDaemon(root.resolve("var/run/rsyncd.pid"));
        CliFixture.deleteUser(runAs);
    }

    private CliFixture.Run apply(String stdin, boolean interactive, String... flags) {
        List<String> args = new java.util.ArrayList<>(List.of("apply", file.toString(), "--root", root.toString(), "--converge-only"));
        args.addAll(List.of(flags));
        return CliFixture.run(args, stdin, interactive);
    }

    @Test void oneApplyConvergesAndTheSecondIsANoOp() throws Exception {
        CliFixture.Run first = apply("", false, "--auto-approve", "--detailed-exitcode");
        assertEquals(2, first.exit(), first.err());
        assertTrue(first.out().contains("Apply complete! Resources: 6 added, 0 changed, 0 destroyed."), first.out());
        assertEquals(runAs, Files.getOwner(root.resolve("data")).getName());
        assertTrue(Files.exists(root.resolve("var/run/rsyncd.pid")));
        assertFalse(first.out().contains(CliFixture.PASSWORD) || first.err().contains(CliFixture.PASSWORD));

        CliFixture.Run second = apply("", false, "--auto-approve", "--detailed-exitcode");
        assertEquals(0, second.exit(), second.err());
        assertTrue(second.out().contains("No changes."), second.out());
    }

    @Test void withoutATerminalOrAutoApproveNothingIsChanged() throws Exception {
        CliFixture.Run r = apply("yes\n", false);
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("run with --auto-approve"), r.err());
        assertFalse(Files.exists(root.resolve("data")));
    }

    @Test void atATerminalOnlyYesApproves() throws Exception {
        CliFixture.Run no = apply("no\n", true);
        assertEquals(1, no.exit());
        assertTrue(no.out().contains("Enter a value:") && no.err().contains("Apply cancelled."), no.out() + no.err());
        assertFalse(Files.exists(root.resolve("data")));
        CliFixture.Run yes = apply("yes\n", true);
        assertEquals(0, yes.exit(), yes.err());
        assertTrue(Files.isDirectory(root.resolve("data")));
    }

    @Test void aBlockedChangeRefusesTheWholeApply() throws Exception {
        Files.writeString(file, Files.readString(file).replace("manage: process", "manage: systemd"));
        CliFixture.Run r = apply("", false, "--auto-approve");
        assertEquals(1, r.exit());
        assertTrue(r.out().contains("! service[rsync.service]") && r.out().contains("systemd is not running on this host"), r.out());
        assertTrue(r.err().contains("nothing was changed"), r.err());
        assertFalse(Files.exists(root.resolve("data")));
    }

    @Test void aFailingStepStopsThereAndSaysWhatWasAndWasNotDone() throws Exception {
        Files.writeString(file, Files.readString(file).replace("run_as: " + runAs, "run_as: " + runAs + "_name_too_long_for_useradd"));
        CliFixture.Run r = apply("", false, "--auto-approve");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("Error: user[" + runAs + "_name_too_long_for_useradd]: useradd"), r.err());
        assertTrue(r.err().contains("Done: nothing\nNot done: directory[" + root.resolve("data") + "], file.secrets["), r.err());
        assertFalse(Files.exists(root.resolve("data")));
    }

    @Test void oneApplyAtATime() throws Exception {
        try (ApplyLock held = ApplyLock.acquire(root.resolve("var/lib/agent"), Duration.ZERO)) {
            CliFixture.Run r = apply("", false, "--auto-approve", "--lock-timeout", "0");
            assertEquals(1, r.exit());
            assertTrue(r.err().contains("another apply is running") && r.err().contains("pid " + ProcessHandle.current().pid()), r.err());
        }
        assertFalse(Files.exists(root.resolve("data")));
    }

    /** --once: converge both roles, push the whole tree once, exit; what Ansible and cron call. */
    @Test void onceConvergesThenSyncsTheTreeAndExits() throws Exception {
        Path host = root.resolve("once");
        Path source = Files.createDirectories(host.resolve("srv/source/docs"));
        Files.writeString(source.resolve("report.txt"), "already here before the agent ran");
        Path state = AgentProcess.writeLoopbackState(host);
        try {
            CliFixture.Run r = CliFixture.run(List.of("apply", state.toString(), "--root", host.toString(), "--auto-approve",
                    "--once", "--detailed-exitcode"), "", false, AgentProcess.ENV);
            assertEquals(ExitCode.CHANGES, r.exit(), r.err());
            Trees.assertEqual(host.resolve("srv/source"), host.resolve("srv/backup"));
            assertFalse(Files.exists(host.resolve("run/agent/agent.sock")), "--once leaves no control socket behind");
        } finally {
            CliFixture.stopDaemon(host.resolve("run/rsyncd.pid"));
        }
    }
}
