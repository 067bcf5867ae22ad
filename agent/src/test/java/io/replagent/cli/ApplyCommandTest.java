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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

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
        CliFixture.stopDaemon(root.resolve("run/rsyncd-agent.pid"));
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
        assertTrue(Files.exists(root.resolve("run/rsyncd-agent.pid")));
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
        Files.writeString(root.resolve("data"), "a file where the module's directory goes");
        CliFixture.Run r = apply("", false, "--auto-approve");
        assertEquals(1, r.exit());
        assertTrue(r.out().contains("! directory[" + root.resolve("data") + "]") && r.out().contains("not a directory"), r.out());
        assertTrue(r.err().contains("nothing was changed"), r.err());
        assertFalse(Files.exists(root.resolve("etc/rsyncd.conf")));
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

    /**
     * Issue 11, item 11, with two real agents: with the first one's control socket removed, a second `agent apply` on
     * the same state started beside it, on the same queue. Now it fails at once, naming the first one's pid.
     */
    @Test void aSecondAgentOnTheSameStateFailsAtOnceNamingTheFirst() throws Exception {
        Path host = root.resolve("twice");
        Files.createDirectories(host.resolve("srv/source"));
        Files.writeString(host.resolve("srv/source/file"), "x");
        Path state = AgentProcess.writeLoopbackState(host);
        Path socket = host.resolve("run/agent/agent.sock");
        try (AgentProcess first = AgentProcess.start(state, host, socket, AgentProcess.ENV, host.resolve("first.log"))) {
            Files.delete(socket);
            ProcessBuilder builder = new ProcessBuilder(AgentProcess.javaCommand(List.of("apply", state.toString(), "--root",
                    host.toString(), "--auto-approve"))).redirectErrorStream(true).redirectOutput(host.resolve("second.log").toFile());
            builder.environment().putAll(AgentProcess.ENV);
            Process second = builder.start();
            boolean ended = second.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
            if (!ended) second.destroyForcibly();
            String log = Files.readString(host.resolve("second.log"));
            assertTrue(ended, "the second agent is still running: " + log);
            assertEquals(1, second.exitValue(), log);
            assertTrue(log.contains("another agent is already replicating this state") && log.contains("pid " + first.process().pid()), log);
            assertFalse(Files.exists(socket), "the second made no socket");
            assertTrue(first.process().isAlive(), first.log());
        } finally {
            CliFixture.stopDaemon(host.resolve("run/rsyncd.pid"));
        }
    }

    /** Issue 11, smaller: SIGHUP ended the agent (exit 129) and the log said only "stopped". */
    /** A reload of the same state (ReloaderTest has the ones that change something): logged, nothing stops. */
    @Test void sighupWithAnUnchangedStateChangesNothingAndReplicationGoesOn() throws Exception {
        LoopbackHost h = loopbackHost("hup");
        Path host = h.dir();
        Path state = h.state();
        Path socket = h.socket();
        try (AgentProcess agent = AgentProcess.start(state, host, socket, AgentProcess.ENV, host.resolve("agent.log"))) {
            assertEquals(0, new ProcessBuilder("kill", "-HUP", String.valueOf(agent.process().pid())).start().waitFor());
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!agent.log().contains("nothing to change") && agent.process().isAlive() && System.nanoTime() < deadline) Thread.sleep(50);
            assertTrue(agent.log().contains("info reload: " + state + " applied, nothing to change in the replication"), agent.log());
            assertTrue(agent.process().isAlive(), "exit " + (agent.process().isAlive() ? "" : agent.process().exitValue()));
            Files.writeString(host.resolve("srv/source/after-hup"), "y");
            while (!Files.exists(host.resolve("srv/backup/after-hup")) && System.nanoTime() < deadline) Thread.sleep(50);
            assertTrue(Files.exists(host.resolve("srv/backup/after-hup")), "still replicating: " + agent.log());
            // it reloads, so nothing says otherwise
            assertEquals("caught", sighup(agent.process().pid()), "the kernel's view of SIGHUP");
            assertFalse(agent.log().contains("SIGHUP is"), agent.log());
            JsonNode status = statusJson(socket);
            assertEquals("handled", status.path("agent").path("sighup").asString(), status.toPrettyString());
            assertFalse(status.path("health").toString().contains("sighup."), status.toPrettyString());
        } finally {
            CliFixture.stopDaemon(host.resolve("run/rsyncd.pid"));
        }
    }

    /**
     * Started under nohup, SIGHUP stays ignored (the JVM installs no handler over an inherited SIG_IGN): systemctl reload
     * did nothing and nothing said so. Now the log says it at start, and status and doctor for as long as it runs.
     */
    @Test void underNohupSighupCannotReloadAndTheAgentSaysSoInItsLogStatusAndDoctor() throws Exception {
        LoopbackHost h = loopbackHost("nohup");
        Path host = h.dir();
        Path state = h.state();
        Path socket = h.socket();
        try (AgentProcess agent = AgentProcess.start(List.of("nohup"), state, host, socket, AgentProcess.ENV,
                host.resolve("agent.log"), true)) {
            assertEquals("ignored", sighup(agent.process().pid()), "nohup left SIGHUP ignored: " + agent.log());
            assertTrue(agent.log().contains("warn SIGHUP is ignored by this process (started under nohup, or by a parent that "
                    + "ignores SIGHUP): 'systemctl reload' and 'kill -HUP' do not reload the state file; start the agent "
                    + "without nohup (systemctl start agent) so SIGHUP reloads"), agent.log());
            assertTrue(agent.log().contains("stop with SIGTERM, restart to reload"), agent.log());

            CliFixture.Run status = CliFixture.run(List.of("status", "--socket", socket.toString()), "", false);
            assertEquals(3, status.exit(), "degraded: " + status.out() + status.err());
            assertTrue(status.out().contains("warn  reload: SIGHUP is ignored by this process"), status.out());
            JsonNode json = statusJson(socket);
            assertEquals("ignored", json.path("agent").path("sighup").asString(), json.toPrettyString());

            CliFixture.Run doctor = CliFixture.run(List.of("doctor", "--socket", socket.toString(), "--json"), "", false);
            JsonNode finding = null;
            for (JsonNode f : JSON.readTree(doctor.out()).path("findings")) if (f.path("rule").asString().equals("sighup.ignored")) finding = f;
            assertTrue(finding != null && finding.path("verdict").asString().equals("warn"), doctor.out());
            assertTrue(finding.path("fix").asString().startsWith("start the agent without nohup"), doctor.out());
            assertTrue(agent.process().isAlive(), agent.log());
        } finally {
            CliFixture.stopDaemon(host.resolve("run/rsyncd.pid"));
        }
    }

    /** -Xrs (say in AGENT_JAVA_OPTS): the JVM keeps SIGHUP from Java, it would end the agent; said the same way. */
    @Test void withXrsSighupWouldEndTheAgentAndItSaysSo() throws Exception {
        LoopbackHost h = loopbackHost("xrs");
        Path host = h.dir();
        Path state = h.state();
        Path socket = h.socket();
        try (AgentProcess agent = AgentProcess.start(List.of("env", "JDK_JAVA_OPTIONS=-Xrs"), state, host, socket,
                AgentProcess.ENV, host.resolve("agent.log"), false)) {
            assertEquals("default", sighup(agent.process().pid()), agent.log());
            String reserved = "warn SIGHUP is reserved by the JVM (-Xrs, in AGENT_JAVA_OPTS?)";
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos(); // not waited for ready: said after apply
            while (!agent.log().contains(reserved) && agent.process().isAlive() && System.nanoTime() < deadline) Thread.sleep(50);
            assertTrue(agent.log().contains(reserved), agent.log());
            JsonNode json = statusJson(socket);
            assertEquals("reserved", json.path("agent").path("sighup").asString(), json.toPrettyString());
            assertTrue(json.path("health").toString().contains("\"rule\":\"sighup.reserved\",\"check\":\"reload\",\"verdict\":\"warn\""),
                    json.toPrettyString());
        } finally {
            CliFixture.stopDaemon(host.resolve("run/rsyncd.pid"));
        }
    }

    /** A host of the SIGHUP tests: a loopback state under root, one file in its source. */
    private record LoopbackHost(Path dir, Path state, Path socket) {}

    private LoopbackHost loopbackHost(String name) throws java.io.IOException {
        Path host = root.resolve(name);
        Files.writeString(Files.createDirectories(host.resolve("srv/source")).resolve("file"), "x");
        return new LoopbackHost(host, AgentProcess.writeLoopbackState(host), host.resolve("run/agent/agent.sock"));
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static JsonNode statusJson(Path socket) {
        CliFixture.Run r = CliFixture.run(List.of("status", "--socket", socket.toString(), "--json"), "", false);
        return JSON.readTree(r.out());
    }

    /** SIGHUP as the kernel has it for the process (/proc/PID/status): "ignored", "caught" (a handler) or "default". */
    private static String sighup(long pid) throws java.io.IOException {
        long ignored = 0;
        long caught = 0;
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
            if (line.startsWith("SigIgn:")) ignored = Long.parseUnsignedLong(line.substring(7).strip(), 16);
            if (line.startsWith("SigCgt:")) caught = Long.parseUnsignedLong(line.substring(7).strip(), 16);
        }
        return (ignored & 1) != 0 ? "ignored" : (caught & 1) != 0 ? "caught" : "default"; // bit 0: signal 1, SIGHUP
    }
}
