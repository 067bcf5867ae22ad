package io.replagent.cli;

import org.junit.jupiter.api.Tag;
import io.replagent.testing.AgentProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `agent console` in a real terminal: tmux runs it against a running agent; send-keys types, capture-pane reads. */
@Tag("e2e")
class ConsoleCommandTest {

    @TempDir Path root;
    final String session = "agent-console-test-" + ProcessHandle.current().pid();
    AgentProcess agent;

    @AfterEach
    void stop() throws Exception {
        tmux("kill-session", "-t", session);
        if (agent != null) agent.close();
        CliFixture.stopDaemon(root.resolve("run/rsyncd.pid"));
    }

    @Test
    void statusDoctorAndCtrlDInARealTerminal() throws Exception {
        Path state = AgentProcess.writeLoopbackState(root);
        Files.createDirectories(root.resolve("srv/source"));
        Path socket = root.resolve("run/agent/agent.sock");
        agent = AgentProcess.start(state, root, socket, AgentProcess.ENV, root.resolve("agent.log"));

        Path script = root.resolve("console.sh");
        List<String> command = AgentProcess.javaCommand(List.of("console", "--socket", socket.toString()));
        Files.writeString(script, "#!/bin/sh\nexport LANG=C.UTF-8 HOME='" + root + "' TERM=xterm-256color\nexec "
                + command.stream().map(a -> "'" + a + "'").collect(Collectors.joining(" ")) + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        tmux("new-session", "-d", "-s", session, "-x", "150", "-y", "45", script.toString());

        awaitPrompt();
        tmux("send-keys", "-t", session, "status", "Enter");
        String screen = awaitScreen("directories watched");
        assertTrue(screen.contains("src") && screen.contains("backup") && screen.contains("idle"), screen);
        awaitPrompt();
        tmux("send-keys", "-t", session, "doctor", "Enter");
        screen = awaitScreen("reachable and authenticated");
        assertFalse(screen.contains(AgentProcess.PASSWORD), "no secret on screen");
        awaitPrompt(); // keys typed before the prompt reach a cooked tty, where Ctrl-D is not a character
        tmux("send-keys", "-t", session, "C-d");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (tmux("has-session", "-t", session).exit == 0) {
            if (System.nanoTime() > deadline) throw new AssertionError("console did not exit on Ctrl-D: " + capture());
            Thread.sleep(100);
        }
        assertTrue(Files.readString(root.resolve(".local/state/agent/history")).contains("doctor"), "history saved per user");
    }

    private String awaitScreen(String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String screen = "";
        while (System.nanoTime() < deadline) {
            screen = capture();
            if (screen.contains(text)) return screen;
            Thread.sleep(100);
        }
        throw new AssertionError("'" + text + "' not on screen in 30 s:\n" + screen);
    }

    private void awaitPrompt() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!capture().stripTrailing().endsWith("agent>")) {
            if (System.nanoTime() > deadline) throw new AssertionError("no prompt in 30 s:\n" + capture());
            Thread.sleep(100);
        }
    }

    private String capture() throws IOException, InterruptedException {
        return tmux("capture-pane", "-p", "-t", session, "-S", "-100").out;
    }

    private record Result(int exit, String out) {}

    private static Result tmux(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("tmux"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(p.waitFor(), out);
    }
}
