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
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code agent console}: an interactive shell on the running agent's control socket. Every command is a thin
 * layer over one control operation, so what the console shows is what {@code agent status --json} and scripts see.
 */
public final class Console {

    /** How long the target/watch names used for completion are reused before asking the agent again. */
    private static final long NAMES_TTL_MS = 2000;

    private record Cmd(String usage, String help, Handler handler) {}

    @FunctionalInterface
    private interface Handler {
        void run(List<String> args) throws ControlException, IOException;
    }

    private final Terminal terminal;
    private final PrintWriter out;
    private final Path socket;
    private final Style style;
    private final Map<String, Cmd> commands = new LinkedHashMap<>();
    private ControlClient client;
    private JsonNode lastStatus;
    private long lastStatusAt;

    private Console(Terminal terminal, Path socket, boolean colour) {
        this.terminal = terminal;
        this.out = terminal.writer();
        this.socket = socket;
        this.style = colour ? new Style(true) : Style.PLAIN;
        commands.put("status", new Cmd("status", "every watch and target: state, queue, oldest change, last success, failures", this::status));
        commands.put("watch", new Cmd("watch [SECONDS]", "status, refreshed every SECONDS (default 1) until a key is pressed", this::watch));
        commands.put("events", new Cmd("events [FILTER]", "live tail of batches and events (FILTER: text to match); a key stops it", this::events));
        commands.put("failures", new Cmd("failures [TARGET]", "the failure queue: paths not delivered and rsync's error", this::failures));
        commands.put("queue", new Cmd("queue [TARGET]", "pending changes per target", this::queue));
        commands.put("retry", new Cmd("retry [TARGET|all] [--allow-deletes]", "retry now, without waiting for the backoff", this::retry));
        commands.put("pause", new Cmd("pause TARGET", "stop pushing to a target (changes keep queueing)", args -> targetOp("pause", args)));
        commands.put("resume", new Cmd("resume TARGET", "resume a paused target", args -> targetOp("resume", args)));
        commands.put("sync", new Cmd("sync [WATCH|TARGET]", "full sync now (rsync of the whole tree)", this::sync));
        commands.put("audit", new Cmd("audit [WATCH|TARGET] [--repair]", "compare source and target by checksum; --repair sends what differs", this::audit));
        commands.put("limits", new Cmd("limits", "kernel inotify limits, watches used and needed", args -> generic("limits", null)));
        commands.put("config", new Cmd("config", "the effective state (secrets redacted)", args -> generic("config", null)));
        commands.put("rsyncd", new Cmd("rsyncd", "the rendered rsyncd.conf and the daemon's status (backup host)", args -> generic("rsyncd", null)));
        commands.put("log-level", new Cmd("log-level LEVEL", "change the log level now (error, warn, info, debug)", this::logLevel));
        commands.put("doctor", new Cmd("doctor", "the checks an operator would run, each with a verdict and the fix", this::doctor));
        commands.put("help", new Cmd("help [COMMAND]", "this list, or one command's help", this::help));
        commands.put("quit", new Cmd("quit", "leave the console (Ctrl-D too); the agent keeps running", args -> {}));
    }

    /** The status table, as the console's {@code status} shows it; for {@code agent status}. */
    public static List<String> statusLines(JsonNode status, boolean colour) {
        return Render.status(status, colour ? new Style(true) : Style.PLAIN, Instant.now());
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
            ensureConnected();
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
            Cmd cmd = commands.get(name);
            if (cmd == null) {
                println(style.bad("unknown command '" + name + "'") + " (try 'help')");
                continue;
            }
            try {
                cmd.handler().run(words.subList(1, words.size()));
            } catch (ControlException e) {
                println(style.bad(e.getMessage()));
                if (e.code().equals("unreachable")) disconnect();
            } catch (IOException | UncheckedIOException e) {
                println(style.bad(e.getMessage()));
            }
        }
        disconnect();
        return 0;
    }

    // ---- commands

    private void status(List<String> args) throws ControlException {
        Render.status(fetchStatus(), style, Instant.now()).forEach(this::println);
    }

    private void watch(List<String> args) throws ControlException, IOException {
        long periodMs = args.isEmpty() ? 1000 : Math.max(200, (long) (parseSeconds(args.get(0)) * 1000));
        Attributes saved = terminal.enterRawMode();
        try {
            NonBlockingReader keys = terminal.reader();
            while (true) {
                JsonNode status = fetchStatus();
                terminal.puts(InfoCmp.Capability.clear_screen);
                println(style.dim("agent status, every " + periodMs / 1000.0 + "s; any key returns to the prompt"));
                Render.status(status, style, Instant.now()).forEach(this::println);
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

    private void failures(List<String> args) throws ControlException {
        Render.failures(fetchStatus(), args.isEmpty() ? null : args.get(0), style).forEach(this::println);
    }

    private void queue(List<String> args) throws ControlException {
        JsonNode status = fetchStatus();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"TARGET", "STATE", "QUEUE", "OLDEST", "IN-FLIGHT", "NEXT RETRY"});
        for (JsonNode watch : status.path("watches")) {
            for (JsonNode target : watch.path("targets")) {
                String name = watch.path("name").asString() + "/" + target.path("name").asString();
                if (!args.isEmpty() && !Targets.matches(args.get(0), watch.path("name").asString(), target.path("name").asString())) continue;
                rows.add(new String[] {name, target.path("state").asString(), String.valueOf(target.path("queue_depth").asInt()),
                        Render.age(target.path("oldest_pending_s").asDouble()), String.valueOf(target.path("in_flight").asInt()),
                        target.path("next_retry").asString("-")});
            }
        }
        Render.table(rows, style).forEach(this::println);
    }

    private void retry(List<String> args) throws ControlException {
        ObjectNode request = ControlClient.args();
        for (String arg : args) {
            if (arg.equals("--allow-deletes")) request.put("allow_deletes", true);
            else if (!arg.equals("all")) request.put("target", arg);
        }
        List<String> targets = new ArrayList<>();
        call("retry", request).path("retry").forEach(t -> targets.add(t.asString()));
        println("retrying now: " + String.join(", ", targets) + (request.has("allow_deletes") ? " (deletes allowed)" : ""));
    }

    private void targetOp(String op, List<String> args) throws ControlException {
        if (args.size() != 1) {
            println("usage: " + commands.get(op).usage());
            return;
        }
        call(op, ControlClient.args().put("target", args.get(0)));
        println(op + "d " + args.get(0));
        lastStatus = null;
    }

    private void sync(List<String> args) throws ControlException {
        ObjectNode request = ControlClient.args();
        if (!args.isEmpty()) request.put("target", args.get(0));
        call("sync", request);
        println("full sync queued" + (args.isEmpty() ? " for every watch" : " for " + args.get(0)));
    }

    private void audit(List<String> args) throws ControlException {
        ObjectNode request = ControlClient.args().put("repair", args.contains("--repair"));
        args.stream().filter(a -> !a.equals("--repair")).findFirst().ifPresent(t -> request.put("target", t));
        call("audit", request).properties().forEach(e -> println(e.getKey() + ": " + e.getValue().path("result").asString()
                + ", " + e.getValue().path("missing").asLong() + " missing, " + e.getValue().path("differs").asLong() + " differ, "
                + e.getValue().path("extra").asLong() + " extra" + (e.getValue().path("repaired").asBoolean() ? " (repaired)" : "")));
    }

    private void logLevel(List<String> args) throws ControlException {
        if (args.size() != 1) {
            println("usage: " + commands.get("log-level").usage());
            return;
        }
        call("log_level", ControlClient.args().put("level", args.get(0)));
        println("log level is now " + args.get(0));
    }

    private void doctor(List<String> args) throws ControlException {
        println(style.dim("running checks…"));
        Render.doctor(call("doctor", null), style).forEach(this::println);
    }

    private void generic(String op, JsonNode args) throws ControlException {
        Render.generic(call(op, args)).forEach(this::println);
    }

    private void help(List<String> args) {
        if (!args.isEmpty()) {
            Cmd cmd = commands.get(args.get(0));
            println(cmd == null ? "unknown command '" + args.get(0) + "'" : cmd.usage() + "\n  " + cmd.help());
            return;
        }
        int width = commands.values().stream().mapToInt(c -> c.usage().length()).max().orElse(10);
        commands.values().forEach(c -> println(String.format("  %-" + width + "s  %s", c.usage(), c.help())));
        println(style.dim("  TARGET is WATCH/TARGET, or TARGET alone when the name is unique. Tab completes."));
    }

    // ---- plumbing

    private JsonNode fetchStatus() throws ControlException {
        lastStatus = call("status", null);
        lastStatusAt = System.currentTimeMillis();
        return lastStatus;
    }

    private JsonNode call(String op, JsonNode args) throws ControlException {
        ensureConnected();
        return client.call(op, args);
    }

    private void ensureConnected() throws ControlException {
        if (client == null) client = ControlClient.connect(socket);
    }

    private void disconnect() {
        if (client != null) client.close();
        client = null;
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

    /** Completes command names, then target, watch, command and log-level names from the running agent. */
    private final class NameCompleter implements Completer {
        @Override
        public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
            if (line.wordIndex() == 0) {
                commands.forEach((name, cmd) -> candidates.add(new Candidate(name, name, null, cmd.help(), null, null, true)));
                return;
            }
            String command = line.words().get(0);
            switch (command) {
                case "help" -> commands.keySet().forEach(name -> candidates.add(new Candidate(name)));
                case "log-level" -> List.of("error", "warn", "info", "debug").forEach(l -> candidates.add(new Candidate(l)));
                case "pause", "resume", "retry", "failures", "queue", "sync", "events", "audit" -> names(command).forEach(n -> candidates.add(new Candidate(n)));
                default -> { }
            }
        }

        private List<String> names(String command) {
            List<String> names = new ArrayList<>();
            if (command.equals("retry")) {
                names.add("all");
                names.add("--allow-deletes");
            }
            try {
                if (lastStatus == null || System.currentTimeMillis() - lastStatusAt > NAMES_TTL_MS) fetchStatus();
            } catch (ControlException e) {
                return names;
            }
            for (JsonNode watch : lastStatus.path("watches")) {
                String w = watch.path("name").asString();
                if (command.equals("sync") || command.equals("events")) names.add(w);
                for (JsonNode target : watch.path("targets")) {
                    names.add(w + "/" + target.path("name").asString());
                    if (!names.contains(target.path("name").asString())) names.add(target.path("name").asString());
                }
            }
            return names;
        }
    }
}
