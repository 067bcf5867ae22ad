package io.replagent.control;

import tools.jackson.databind.JsonNode;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * What a running agent answers on its control socket: named operations, each with a one-line help.
 * The composition root registers them; the server only dispatches.
 */
public final class Operations {

    /** A request/response operation. Throw {@link ControlException} with code bad_request for bad arguments. */
    @FunctionalInterface
    public interface Call {
        Object run(JsonNode args) throws Exception;
    }

    /** A streaming operation: emits events until {@code open} turns false (the client went away) or it returns. */
    @FunctionalInterface
    public interface Stream {
        void run(JsonNode args, Consumer<Object> emit, BooleanSupplier open) throws Exception;
    }

    record Entry(String help, Call call, Stream stream) {}

    private final Map<String, Entry> entries = new TreeMap<>();

    public Operations call(String name, String help, Call call) {
        entries.put(name, new Entry(help, call, null));
        return this;
    }

    public Operations stream(String name, String help, Stream stream) {
        entries.put(name, new Entry(help, null, stream));
        return this;
    }

    Entry get(String name) {
        return entries.get(name);
    }

    /** Operation names and their help, sorted: the "ops" operation and the console's completion use it. */
    public Map<String, String> help() {
        Map<String, String> help = new TreeMap<>();
        entries.forEach((name, entry) -> help.put(name, entry.help()));
        return Collections.unmodifiableMap(help);
    }
}
