package io.replagent.console;

import io.replagent.control.ControlClient;
import io.replagent.control.ControlException;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.ParsedLine;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Attributes;
import org.jline.terminal.Terminal;
import org.jline.utils.InfoCmp;
import org.jline.utils.NonBlockingReader;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code agent console}: an interactive shell on the running agent's control socket. The commands are in
 * {@link Commands} (words in, lines out, the agent behind {@link Agent}); this is the thin jline shell around them:
 * the prompt, history, completion, and the two commands that own the keyboard while they run (watch, events).
 */
public final class Console {

    /** How long the target/watch names used for completion are reused before asking the agent again. */
    private static final long NAMES_TTL_MS = 2000;

    private final Terminal terminal;
    private final PrintWriter out;
    private final Path socket;
    private final Style style;
    private final Commands commands;
    private final Connection agent = new Connection();
    private JsonNode lastStatus;
    private long lastStatusAt;

    private Console(Terminal terminal, Path socket, boolean colour) {
        this.terminal = terminal;
        this.out = terminal.writer();
        this.socket = socket;
        this.style = colour ? new Style(true) : Style.PLAIN;
        this.commands = new Commands(style, Clock.systemUTC());
    }

    /** The status table and what is wrong, as the console's {@code status} shows it; for {@code agent status}. */
    public static List<String> statusLines(JsonNode status, boolean colour) {
        return Render.status(status, colour ? new Style(true) : Style.PLAIN, Instant.now());
    }

    /** Health findings as the console's {@code doctor} shows them, a verdict per line and the fix; for {@code agent doctor}. */
    public static List<String> findingLines(JsonNode findings, boolean colour) {
        return Render.findings(findings, colour ? new Style(true) : Style.PLAIN, false);
    }

    /** Runs the console until quit or Ctrl-D. Returns the exit code. */
    public static int run(Terminal terminal, Path socket, Path historyFile, boolean colour) {
        return new Console(terminal, socket, colour).loop(historyFile);
    }

    private int loop(Path historyFile) {
        LineReader reader = LineReaderBuilder.builder()
                .terminal(terminal)
                .appName("agent")
                .completer(new NameCompleter())
                .variable(LineReader.HISTORY_FILE, historyFile)
                .variable(LineReader.HISTORY_SIZE, 1000)
                .build();
        try {
            agent.connect();
            println(style.dim("connected to " + socket + "; 'help' lists commands, Ctrl-D leaves"));
        } catch (ControlException e) {
            println(style.bad(e.getMessage()));
        }
        while (true) {
            String line;
            try {
                line = reader.readLine("agent> ");
            } catch (UserInterruptException e) {
                continue; // Ctrl-C drops the line being typed, not the console
            } catch (EndOfFileException e) {
                break;
            }
            List<String> words = new ArrayList<>(reader.getParser().parse(line, line.length()).words());
            words.removeIf(String::isEmpty);
            if (words.isEmpty()) continue;
            String name = words.get(0);
            if (name.equals("quit") || name.equals("exit")) break;
            try {
                switch (name) {
                    case "watch" -> watch(words.subList(1, words.size()));
                    case "events" -> events(words.subList(1, words.size()));
                    default -> commands.run(words, agent).forEach(this::println);
                }
            } catch (ControlException | IOException | UncheckedIOException e) {
                println(style.bad(e.getMessage()));
            }
        }
        agent.close();
        return 0;
    }

    /** The control socket, connected on first use and again after the agent went away. */
    private final class Connection implements Agent {
        private ControlClient client;

        void connect() throws ControlException {
            if (client == null) client = ControlClient.connect(socket);
        }

        @Override public JsonNode call(String op, JsonNode args) throws ControlException {
            connect();
            try {
                JsonNode result = client.call(op, args);
                if (op.equals("status")) {
                    lastStatus = result;
                    lastStatusAt = System.currentTimeMillis();
                }
                return result;
            } catch (ControlException e) {
                if (e.code().equals("unreachable")) close();
                throw e;
            }
        }

        void close() {
            if (client != null) client.close();
            client = null;
        }
    }

    // ---- the commands that own the keyboard

    private void watch(List<String> args) throws ControlException, IOException {
        long periodMs = args.isEmpty() ? 1000 : Math.max(200, (long) (parseSeconds(args.get(0)) * 1000));
        Attributes saved = terminal.enterRawMode();
        try {
            NonBlockingReader keys = terminal.reader();
            while (true) {
                List<String> status = commands.status(List.of(), agent);
                terminal.puts(InfoCmp.Capability.clear_screen);
                println(style.dim("agent status, every " + periodMs / 1000.0 + "s; any key returns to the prompt"));
                status.forEach(this::println);
                if (keys.read(periodMs) != NonBlockingReader.READ_EXPIRED) break;
            }
        } finally {
            terminal.setAttributes(saved);
        }
    }

    private void events(List<String> args) throws ControlException, IOException {
        ObjectNode request = ControlClient.args().put("follow", true);
        if (!args.isEmpty()) request.put("filter", String.join(" ", args));
        AtomicBoolean stop = new AtomicBoolean();
        ControlClient stream = ControlClient.connect(socket);
        Thread tail = new Thread(() -> {
            try {
                stream.stream("events", request, event -> {
                    if (stop.get()) return false;
                    println(Render.activity(event, style));
                    return true;
                });
            } catch (ControlException e) {
                if (!stop.get()) println(style.bad(e.getMessage()));
            }
        }, "console-events");
        println(style.dim("following events" + (args.isEmpty() ? "" : " matching '" + String.join(" ", args) + "'")
                + "; any key stops"));
        Attributes saved = terminal.enterRawMode();
        tail.start();
        try {
            NonBlockingReader keys = terminal.reader();
            while (tail.isAlive() && keys.read(200) == NonBlockingReader.READ_EXPIRED) {
                // wait for a key, or for the agent to end the stream
            }
        } finally {
            stop.set(true);
            stream.close();
            terminal.setAttributes(saved);
        }
    }

    private synchronized void println(String line) {
        out.println(line);
        out.flush();
    }

    private static double parseSeconds(String text) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    /** Completes command names, then target, watch and log-level names (from the agent's status, briefly cached). */
    private final class NameCompleter implements Completer {
        @Override
        public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
            if (line.wordIndex() == 0) {
                commands.table().forEach((name, cmd) -> candidates.add(new Candidate(name, name, null, cmd.help(), null, null, true)));
                return;
            }
            String command = line.words().get(0);
            if (Commands.completesNames(command) && (lastStatus == null || System.currentTimeMillis() - lastStatusAt > NAMES_TTL_MS)) {
                try {
                    agent.call("status", null);
                } catch (ControlException e) {
                    // no names to offer; the command itself will say why
                }
            }
            JsonNode status = lastStatus == null ? ControlClient.args() : lastStatus;
            commands.completions(command, status).forEach(n -> candidates.add(new Candidate(n)));
        }
    }
}
