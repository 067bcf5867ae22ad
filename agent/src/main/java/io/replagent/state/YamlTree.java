package io.replagent.state;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.api.lowlevel.Parse;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.schema.JsonSchema;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns the bytes of a state file into a JSON tree and the marks of its nodes, refusing hostile input on the way.
 *
 * <p>Scalars are resolved with the YAML 1.2 JSON schema: only {@code true}/{@code false}, {@code null}, JSON numbers
 * and the empty value are anything but strings. {@code yes}, {@code on}, {@code ~} and {@code 0755} stay strings, so a
 * YAML 1.1 habit surfaces as a type error ("'yes' is a string") instead of silently meaning something else, and a
 * file mode can be written unquoted without turning into decimal 755.
 */
final class YamlTree {

    static final int MAX_BYTES = 1 << 20;
    static final int MAX_DEPTH = 32;
    static final int MAX_ALIASES = 64;
    /** Nodes after alias expansion: a few aliases of aliases must not grow into millions of nodes. */
    static final int MAX_NODES = 100_000;

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    record Parsed(JsonNode root, Marks marks) {}

    private final Marks marks = new Marks();
    private final Problems problems;
    private int nodes;

    private YamlTree(String label) {
        this.problems = new Problems(label, marks);
    }

    /** The tree, or every problem that stops the file from being read as YAML. */
    static Parsed parse(String label, byte[] content) throws InvalidStateException {
        return new YamlTree(label).read(content);
    }

    private Parsed read(byte[] content) throws InvalidStateException {
        if (content.length > MAX_BYTES) {
            throw fatal(Marks.Span.NONE, "file is larger than the limit of 1 MiB");
        }
        String text = decode(content);
        findTabIndentation(text);
        stopIfErrors();
        LoadSettings settings = LoadSettings.builder()
                .setLabel(problems.file())
                .setUseMarks(true)
                .setSchema(new JsonSchema())
                .setMaxAliasesForCollections(MAX_ALIASES)
                .setAllowRecursiveKeys(false)
                .setAllowNonScalarKeys(true) // refused while converting, with a position
                .setCodePointLimit(MAX_BYTES)
                .build();
        Node document;
        try {
            checkDepthAndDocuments(settings, text);
            document = new Compose(settings).composeString(text).orElse(null);
        } catch (MarkedYamlEngineException e) {
            Mark at = e.getProblemMark().or(e::getContextMark).orElse(null);
            throw fatal(at == null ? Marks.Span.NONE : span(at, at), "YAML syntax error: " + describe(e));
        } catch (YamlEngineException e) {
            throw fatal(Marks.Span.NONE, "YAML error: " + e.getMessage());
        }
        if (document == null) {
            throw fatal(new Marks.Span(1, 1, 1, 1), "the file is empty: expected a mapping starting with 'version: 1'");
        }
        JsonNode root = convert(document, "");
        stopIfErrors();
        return new Parsed(root, marks);
    }

    private String decode(byte[] content) throws InvalidStateException {
        int start = content.length >= 3 && (content[0] & 0xff) == 0xef && (content[1] & 0xff) == 0xbb
                && (content[2] & 0xff) == 0xbf ? 3 : 0;
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(content, start, content.length - start);
        CharBuffer out = CharBuffer.allocate(content.length);
        var result = decoder.decode(in, out, true);
        if (result.isError()) {
            String before = out.flip().toString();
            throw fatal(position(before), "not UTF-8: invalid byte 0x"
                    + Integer.toHexString(content[in.position()] & 0xff) + " at byte offset " + in.position());
        }
        decoder.flush(out);
        String text = out.flip().toString();
        if (text.indexOf('\0') >= 0) {
            throw fatal(position(text.substring(0, text.indexOf('\0'))), "NUL character in the file");
        }
        return text;
    }

    /** The span of the character following {@code before}. */
    private static Marks.Span position(String before) {
        int line = 1 + (int) before.chars().filter(c -> c == '\n').count();
        int column = before.codePointCount(before.lastIndexOf('\n') + 1, before.length()) + 1;
        return new Marks.Span(line, column, line, column + 1);
    }

    /** YAML forbids tabs in indentation; say so at every such line instead of snakeyaml's token error. Blank and comment lines may have them. */
    private void findTabIndentation(String text) {
        int line = 1;
        for (int start = 0; start <= text.length(); line++) {
            int end = text.indexOf('\n', start);
            if (end < 0) end = text.length();
            int indent = start;
            while (indent < end && (text.charAt(indent) == ' ' || text.charAt(indent) == '\t')) indent++;
            boolean blankOrComment = indent == end || text.charAt(indent) == '#' || text.charAt(indent) == '\r';
            int tab = text.substring(start, indent).indexOf('\t');
            if (tab >= 0 && !blankOrComment) {
                problems.add(Diagnostic.Severity.ERROR, new Marks.Span(line, tab + 1, line, tab + 2),
                        "tab character in indentation: indent with spaces");
            }
            start = end + 1;
        }
    }

    /** Nesting and aliases are checked on the event stream before composing, which recurses once per level. */
    private void checkDepthAndDocuments(LoadSettings settings, String text) throws InvalidStateException {
        int depth = 0;
        int documents = 0;
        int aliases = 0;
        for (Event event : new Parse(settings).parseString(text)) {
            switch (event.getEventId()) {
                case MappingStart, SequenceStart -> {
                    if (++depth > MAX_DEPTH) {
                        throw fatal(span(event), "nested deeper than " + MAX_DEPTH + " levels");
                    }
                }
                case MappingEnd, SequenceEnd -> depth--;
                case Alias -> {
                    if (++aliases > MAX_ALIASES) throw fatal(span(event), "more than " + MAX_ALIASES + " aliases");
                }
                case DocumentStart -> {
                    if (++documents > 1) {
                        throw fatal(span(event), "more than one YAML document: a state file holds exactly one");
                    }
                }
                default -> { }
            }
        }
    }

    private JsonNode convert(Node node, String pointer) {
        if (++nodes == MAX_NODES) {
            problems.error(pointer, "more than " + MAX_NODES + " values after expanding aliases");
        }
        if (nodes >= MAX_NODES) return JSON.nullNode();
        marks.value(pointer, span(node));
        if (node instanceof MappingNode map) return convertMapping(map, pointer);
        if (node instanceof SequenceNode seq) {
            ArrayNode array = JSON.arrayNode();
            for (Node item : seq.getValue()) {
                array.add(convert(item, Marks.child(pointer, array.size())));
            }
            return array;
        }
        return scalar((ScalarNode) node, pointer);
    }

    private ObjectNode convertMapping(MappingNode map, String pointer) {
        ObjectNode object = JSON.objectNode();
        Map<String, Marks.Span> seen = new HashMap<>();
        for (NodeTuple tuple : map.getValue()) {
            if (!(tuple.getKeyNode() instanceof ScalarNode keyNode) || !keyNode.getTag().equals(Tag.STR)) {
                problems.add(Diagnostic.Severity.ERROR, span(tuple.getKeyNode()), "keys must be plain strings");
                continue;
            }
            String key = keyNode.getValue();
            String child = Marks.child(pointer, key);
            Marks.Span keySpan = span(keyNode);
            Marks.Span first = seen.putIfAbsent(key, keySpan);
            if (first != null) {
                problems.add(Diagnostic.Severity.ERROR, keySpan,
                        "duplicate key '" + key + "' (first at line " + first.line() + ")");
                continue;
            }
            marks.key(child, keySpan);
            object.set(key, convert(tuple.getValueNode(), child));
        }
        return object;
    }

    private JsonNode scalar(ScalarNode node, String pointer) {
        Tag tag = node.getTag();
        String value = node.getValue();
        if (tag.equals(Tag.STR)) return JSON.stringNode(value);
        if (tag.equals(Tag.NULL)) return JSON.nullNode();
        if (tag.equals(Tag.BOOL)) return JSON.booleanNode(value.equals("true"));
        if (tag.equals(Tag.INT)) {
            try {
                return JSON.numberNode(Long.parseLong(value));
            } catch (NumberFormatException e) {
                problems.error(pointer, "number " + value + " is too large");
                return JSON.nullNode();
            }
        }
        if (tag.equals(Tag.FLOAT)) return JSON.numberNode(Double.parseDouble(value));
        problems.error(pointer, "unsupported tag " + tag.getValue() + ": write plain values");
        return JSON.nullNode();
    }

    private static String describe(MarkedYamlEngineException e) {
        String problem = e.getProblem() == null ? "" : e.getProblem().strip();
        String context = e.getContext() == null ? "" : e.getContext().strip();
        if (problem.contains("found character '\\t'")) return "tab character where a token was expected";
        return context.isEmpty() ? problem : problem + " (" + context + ")";
    }

    private static Marks.Span span(Node node) {
        return span(node.getStartMark().orElse(null), node.getEndMark().orElse(null));
    }

    private static Marks.Span span(Event event) {
        return span(event.getStartMark().orElse(null), event.getEndMark().orElse(null));
    }

    private static Marks.Span span(Mark start, Mark end) {
        if (start == null) return Marks.Span.NONE;
        Mark e = end == null ? start : end;
        return new Marks.Span(start.getLine() + 1, start.getColumn() + 1, e.getLine() + 1, e.getColumn() + 1);
    }

    private void stopIfErrors() throws InvalidStateException {
        if (problems.hasErrors()) throw new InvalidStateException(problems.sorted());
    }

    private InvalidStateException fatal(Marks.Span at, String summary) {
        problems.add(Diagnostic.Severity.ERROR, at, summary);
        return new InvalidStateException(problems.sorted());
    }
}
