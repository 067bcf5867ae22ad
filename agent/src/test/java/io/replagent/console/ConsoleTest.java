package io.replagent.console;

import org.junit.jupiter.api.Tag;
import io.replagent.control.ControlException;
import io.replagent.control.ControlServer;
import io.replagent.control.Operations;
import io.replagent.health.Health;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console driven through a scripted terminal, expect-style: wait for the prompt, type, read the screen.
 * The agent end is a real control server; its operations record what the console asked for.
 */
@Tag("e2e")
class ConsoleTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String STATUS = """
            {"at":"2026-11-27T03:00:00Z","watches":[{"name":"data","source":"/data","watched_directories":12,"events":40,
             "overflows":0,"error":null,"targets":[
              {"name":"backup","destination":"rsync://rsync_backup@127.0.0.1:873/data/","state":"paused",
               "alert":"auth failed on module data (rsync exit 5)","queue_depth":3,"oldest_pending_s":42.0,"in_flight":0,
               "last_success":null,"attempt":0,"retries":2,"next_retry":null,"failure_count":1,
               "failures":[{"path":"reports/q3.csv","error":"@ERROR: auth failed on module data"}],
               "bytes_sent":0,"files_sent":0,"rsync_runs":3,"batches":1},
              {"name":"offsite","destination":"/mnt/offsite/","state":"idle","alert":null,"queue_depth":0,
               "oldest_pending_s":0,"in_flight":0,"last_success":"2026-11-27T02:59:58Z","attempt":0,"retries":0,
               "next_retry":null,"failure_count":0,"failures":[],"bytes_sent":2048,"files_sent":2,"rsync_runs":1,"batches":1}]}]}
            """;

    @TempDir Path tmp;
    ControlServer server;
    final List<String> requests = new CopyOnWriteArrayList<>();
    final AtomicInteger sequence = new AtomicInteger();

    PipedOutputStream keyboard;
    Screen screen;
    Thread console;
    Terminal terminal;

    @BeforeEach
    void start() throws Exception {
        Operations operations = new Operations()
                .call("status", "status", args -> served(STATUS))
                .call("retry", "retry", args -> record("retry", args, Map.of("retry", List.of(args.path("target").asString("all")))))
                .call("pause", "pause", args -> {
                    if (!args.path("target").asString().equals("backup")) {
                        throw new ControlException("bad_request", "no target '" + args.path("target").asString() + "'");
                    }
                    return record("pause", args, Map.of());
                })
                .call("audit", "audit", args -> record("audit", args, JSON.readTree("""
                        {"data/backup":{"at":"2026-11-27T03:00:00Z","result":"differences","missing":1,"differs":2,"extra":0,
                         "first":["missing a","differs b","differs c"],"repaired":true,"error":null}}""")))
                .call("doctor", "doctor", args -> JSON.readTree("""
                        [{"check":"rsync version","verdict":"ok","cause":"3.2.7","fix":""},
                         {"check":"target data/backup","verdict":"fail","cause":"@ERROR: auth failed on module data",
                          "fix":"check the password of rsync_backup in /etc/rsync.password on the backup host"}]"""))
                .stream("events", "events", (args, emit, open) -> {
                    while (open.getAsBoolean()) {
                        emit.accept(Map.of("at", "2026-11-27T03:00:0" + (sequence.get() % 10) + "Z", "watch", "data",
                                "target", "offsite", "kind", "batch", "paths", 1, "files", 1, "bytes", 10, "seconds", 0.1,
                                "exit", 0, "message", "event " + sequence.incrementAndGet()));
                        Thread.sleep(20);
                    }
                });
        server = ControlServer.start(tmp.resolve("run/agent.sock"), operations);

        PipedInputStream input = new PipedInputStream(64 * 1024);
        keyboard = new PipedOutputStream(input);
        screen = new Screen();
        terminal = TerminalBuilder.builder().system(false).streams(input, screen).type("xterm-256color").size(new org.jline.terminal.Size(160, 50)).build();
        console = new Thread(() -> Console.run(terminal, server.socket(), tmp.resolve("history"), false), "console-under-test");
        console.start();
        screen.await("agent> ");
    }

    /** The status as the agent serves it: with the health findings the rules make of it. */
    static JsonNode served(String status) {
        ObjectNode node = (ObjectNode) JSON.readTree(status);
        node.set("health", Health.json(Health.status(node, JSON.readTree("{}"))));
        return node;
    }

    Object record(String op, JsonNode args, Object result) {
        requests.add(op + " " + args);
        return result;
    }

    @AfterEach
    void stop() throws Exception {
        keyboard.close();
        console.join(5000);
        terminal.close();
        server.close();
    }

    void type(String keys) throws IOException {
        keyboard.write(keys.getBytes(StandardCharsets.UTF_8));
        keyboard.flush();
    }

    /** Types a line and returns what the console printed before the next prompt. */
    String command(String line) throws Exception {
        int mark = screen.length();
        type(line + "\r");
        return screen.awaitAfter(mark, "agent> ");
    }

    @Test
    void statusShowsTheDownTargetAndWhy() throws Exception {
        String out = command("status");
        assertTrue(out.contains("data   backup   paused"), out);
        assertTrue(out.contains("auth failed on module data (rsync exit 5)"), out);
        assertTrue(out.contains("offsite"), out);
        assertTrue(out.contains("12 directories watched"), out);
    }

    @Test
    void failuresShowRsyncsError() throws Exception {
        String out = command("failures backup");
        assertTrue(out.contains("reports/q3.csv"), out);
        assertTrue(out.contains("@ERROR: auth failed on module data"), out);
        assertFalse(out.contains("offsite"), "filtered to one target: " + out);
    }

    @Test
    void retryAndPauseSendTheTarget() throws Exception {
        assertTrue(command("retry data/backup").contains("retrying now: data/backup"));
        command("pause backup");
        assertEquals(List.of("retry {\"target\":\"data/backup\"}", "pause {\"target\":\"backup\"}"), requests);
        String out = command("pause nosuch");
        assertTrue(out.contains("no target 'nosuch'"), out);
    }

    @Test
    void auditGoesThroughTheSocketAndShowsEachTarget() throws Exception {
        String out = command("audit data --repair");
        assertTrue(out.contains("data/backup: differences, 1 missing, 2 differ, 0 extra (repaired)"), out);
        assertEquals(List.of("audit {\"repair\":true,\"target\":\"data\"}"), requests);
    }

    @Test
    void doctorGivesVerdictsAndFixes() throws Exception {
        String out = command("doctor");
        assertTrue(out.contains("ok    rsync version: 3.2.7"), out);
        assertTrue(out.contains("FAIL  target data/backup"), out);
        assertTrue(out.contains("fix: check the password of rsync_backup"), out);
    }

    @Test
    void helpListsEveryCommand() throws Exception {
        String out = command("help");
        for (String name : List.of("status", "watch", "events", "failures", "queue", "retry", "pause", "resume", "sync",
                "audit", "limits", "config", "rsyncd", "log-level", "doctor", "help", "quit")) {
            assertTrue(out.contains("  " + name), name + " missing from: " + out);
        }
        assertTrue(command("help retry").contains("--allow-deletes"));
        assertTrue(command("frobnicate").contains("unknown command 'frobnicate'"));
    }

    @Test
    void tabCompletesCommandsAndTargets() throws Exception {
        int mark = screen.length();
        type("fai\t");
        screen.awaitAfter(mark, "failures");
        type("\u0015"); // Ctrl-U: clear the line
        mark = screen.length();
        type("pause off\t");
        screen.awaitAfter(mark, "offsite");
        type("\u0015");
        String out = command("");
        assertFalse(out.contains("unknown command"), out);
    }

    @Test
    void historyIsSavedAndRecalledWithUpArrow() throws Exception {
        command("status");
        command("help");
        int mark = screen.length();
        type("\u001bOA\u001bOA"); // up, up: back to "status"
        screen.awaitAfter(mark, "status");
        type("\u0015");
        command("");
        assertTrue(Files.readString(tmp.resolve("history")).contains("status"), "history file is written");
    }

    @Test
    void ctrlCCancelsTheLineNotTheConsole() throws Exception {
        int mark = screen.length();
        type("statu\u0003");
        screen.awaitAfter(mark, "agent> ");
        assertTrue(command("status").contains("paused"), "still answering after Ctrl-C");
        assertTrue(console.isAlive());
    }

    @Test
    void eventsFollowUntilAKeyIsPressed() throws Exception {
        int mark = screen.length();
        type("events\r");
        screen.awaitAfter(mark, "event 3");
        type("q");
        screen.awaitAfter(mark, "agent> ");
        assertTrue(command("status").contains("paused"));
    }

    @Test
    void ctrlDLeaves() throws Exception {
        type("\u0004");
        console.join(5000);
        assertFalse(console.isAlive());
    }

    /** Collects what the console writes, so the test can wait for text the way `expect` does. */
    static final class Screen extends java.io.OutputStream {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override public synchronized void write(int b) {
            bytes.write(b);
            notifyAll();
        }

        @Override public synchronized void write(byte[] b, int off, int len) {
            bytes.write(b, off, len);
            notifyAll();
        }

        synchronized int length() {
            return bytes.size();
        }

        String await(String text) throws InterruptedException {
            return awaitAfter(0, text);
        }

        /** Waits (10 s at most) until {@code text} appears after byte offset {@code mark}; returns what came after. */
        synchronized String awaitAfter(int mark, String text) throws InterruptedException {
            long deadline = System.currentTimeMillis() + 10_000;
            while (true) {
                String after = plain(new String(bytes.toByteArray(), mark, bytes.size() - mark, StandardCharsets.UTF_8));
                int at = after.indexOf(text);
                if (at >= 0) return after.substring(0, at + text.length());
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) throw new AssertionError("timed out waiting for '" + text + "'; screen: " + after);
                wait(left);
            }
        }

        /** Without escape sequences, so assertions read like the screen. */
        static String plain(String s) {
            return s.replaceAll("\u001b\\[[0-9;?]*[A-Za-z]", "").replaceAll("\u001b[()][A-Z0-9]", "").replace("\r", "");
        }
    }
}
