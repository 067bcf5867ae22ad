package io.replagent.state;

import java.util.HashMap;
import java.util.Map;

/**
 * Where each node of a state file was written, by JSON pointer. Keys and values are kept apart: an unknown key is
 * reported at the key, a wrong value at the value. Pointers, not node identity: Jackson may share equal nodes.
 */
final class Marks {

    /** A 1-based region of the file. */
    record Span(int line, int column, int endLine, int endColumn) {
        static final Span NONE = new Span(0, 0, 0, 0);
    }

    private final Map<String, Span> values = new HashMap<>();
    private final Map<String, Span> keys = new HashMap<>();

    void value(String pointer, Span span) {
        values.putIfAbsent(pointer, span);
    }

    void key(String pointer, Span span) {
        keys.putIfAbsent(pointer, span);
    }

    /** The value's span, or the closest enclosing node's when the pointer names something absent. */
    Span ofValue(String pointer) {
        for (String p = pointer; ; p = parent(p)) {
            Span s = values.get(p);
            if (s != null) return s;
            if (p.isEmpty()) return Span.NONE;
        }
    }

    /** The key's span (the value's for array elements and the root). */
    Span ofKey(String pointer) {
        Span s = keys.get(pointer);
        return s != null ? s : ofValue(pointer);
    }

    static String parent(String pointer) {
        int slash = pointer.lastIndexOf('/');
        return slash <= 0 ? "" : pointer.substring(0, slash);
    }

    static String child(String pointer, String name) {
        return pointer + "/" + name.replace("~", "~0").replace("/", "~1");
    }

    static String child(String pointer, int index) {
        return pointer + "/" + index;
    }
}
