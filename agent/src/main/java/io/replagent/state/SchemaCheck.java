package io.replagent.state;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Checks a state tree against {@code state.schema.json} and words the schema's findings for an operator:
 * the key or value at fault, what was expected, and a "did you mean" where one helps.
 */
final class SchemaCheck {

    /** Keywords whose generic message gives way to the schema's own {@code errorMessage}. */
    private static final Set<String> WORDED_BY_SCHEMA =
            Set.of("pattern", "minimum", "maximum", "minProperties", "maxProperties");
    private static final Set<String> STRING_BOOLEANS =
            Set.of("yes", "no", "on", "off", "y", "n", "true", "false", "True", "False", "Yes", "No", "On", "Off");

    private SchemaCheck() {}

    /** Built on first use: the schema registry is the costliest part of start-up. */
    private static final class Loaded {
        static final Schema SCHEMA;
        static {
            try (InputStream in = SchemaCheck.class.getResourceAsStream(StateFile.SCHEMA_RESOURCE)) {
                if (in == null) throw new IllegalStateException("schema resource missing: " + StateFile.SCHEMA_RESOURCE);
                SCHEMA = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                        .getSchema(in, InputFormat.JSON);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    static void check(JsonNode root, Problems problems) {
        Schema schema = Loaded.SCHEMA;
        for (Error e : schema.validate(root)) report(e, schema.getSchemaNode(), problems);
    }

    private static void report(Error e, JsonNode schemaRoot, Problems problems) {
        String pointer = pointer(e.getInstanceLocation());
        String ownerPointer = Marks.parent(pointer(e.getSchemaLocation().getFragment()));
        JsonNode owner = schemaRoot.at(ownerPointer);
        JsonNode instance = e.getInstanceNode();
        switch (e.getKeyword()) {
            case "additionalProperties" -> problems.errorAtKey(Marks.child(pointer, e.getProperty()),
                    unknownKey(e.getProperty(), owner, schemaRoot.at(Marks.parent(Marks.parent(ownerPointer)))));
            case "required" -> problems.error(pointer, "missing required key '" + e.getProperty() + "'");
            case "type" -> problems.error(pointer, typeMessage(instance, owner));
            case "enum" -> problems.error(pointer, enumMessage(instance, owner.path("enum")));
            case "const" -> problems.error(pointer, enumMessage(instance, JsonNodeFactory.instance.arrayNode().add(owner.path("const"))));
            case "minItems" -> problems.error(pointer, "needs at least " + owner.path("minItems").asInt() + " item(s)");
            case "uniqueItems" -> problems.error(pointer, "lists the same item twice");
            default -> problems.error(pointer, worded(e, owner));
        }
    }

    /**
     * With a "did you mean"; an rsyncd parameter in extra that has a first-class key is pointed to that key; a key the
     * schema lists under {@code x-set-by-agent} (an annotation editors ignore) says why it cannot be given.
     */
    private static String unknownKey(String key, JsonNode owner, JsonNode enclosing) {
        for (String reserved : owner.path("x-set-by-agent").propertyNames()) {
            if (reserved.equalsIgnoreCase(key)) return key + " is set by the agent: " + owner.path("x-set-by-agent").path(reserved).stringValue();
        }
        String hint = Hints.didYouMean(key, owner.path("properties").propertyNames());
        if (hint.isEmpty() && enclosing.path("properties").path("extra").equals(owner)) {
            String firstClass = Hints.didYouMean(key, enclosing.path("properties").propertyNames());
            if (!firstClass.isEmpty()) hint = ": it has a key of its own" + firstClass;
        }
        return "unknown key '" + key + "'" + hint;
    }

    private static String typeMessage(JsonNode instance, JsonNode owner) {
        String expected = expectedTypes(owner.path("type"));
        if (instance.isString()) {
            String s = instance.stringValue();
            if (expected.contains("integer") && s.matches("-?[0-9]+")) return quoted(s);
            if (expected.equals("boolean") && STRING_BOOLEANS.contains(s)) {
                return "'" + s + "' is a string here: write true or false";
            }
        }
        if (instance.isNull()) return "no value given: expected " + expected;
        if (owner.has("errorMessage")) return owner.path("errorMessage").stringValue();
        return "expected " + expected + ", got " + jsonType(instance);
    }

    private static String enumMessage(JsonNode instance, JsonNode options) {
        List<String> names = new ArrayList<>();
        options.forEach(o -> names.add(o.isString() ? o.stringValue() : o.toString()));
        if (instance.isString() && options.valueStream().anyMatch(o -> !o.isString() && o.toString().equals(instance.stringValue()))) {
            return quoted(instance.stringValue());
        }
        if (names.size() == 1) return "must be " + names.get(0);
        String hint = instance.isString() ? Hints.didYouMean(instance.stringValue(), names) : "";
        String shown = instance.isString() ? "'" + instance.stringValue() + "'" : instance.toString();
        return shown + " is not one of " + String.join(", ", names) + hint;
    }

    /** A number or boolean written in quotes, as templating tools tend to: the fix is to drop the quotes. */
    private static String quoted(String text) {
        return "\"" + text + "\" is a string, write " + text + " (unquoted)";
    }

    private static String worded(Error e, JsonNode owner) {
        if (WORDED_BY_SCHEMA.contains(e.getKeyword()) && owner.has("errorMessage")) {
            return owner.path("errorMessage").stringValue();
        }
        return e.getMessage();
    }

    /** In YAML's words: a mapping and a list, not an object and an array. */
    private static String expectedTypes(JsonNode type) {
        List<String> names = new ArrayList<>();
        if (type.isString()) names.add(type.stringValue());
        else type.forEach(t -> names.add(t.stringValue()));
        return String.join(" or ", names).replace("object", "mapping").replace("array", "list");
    }

    static String jsonType(JsonNode node) {
        if (node.isString()) return "string";
        if (node.isIntegralNumber()) return "integer";
        if (node.isNumber()) return "number";
        if (node.isBoolean()) return "boolean";
        if (node.isArray()) return "list";
        if (node.isObject()) return "mapping";
        return "null";
    }

    /** A networknt path as a JSON pointer. */
    private static String pointer(NodePath path) {
        String pointer = "";
        for (int i = 0; i < path.getNameCount(); i++) {
            Object element = path.getElement(i);
            pointer = element instanceof Integer index ? Marks.child(pointer, index) : Marks.child(pointer, element.toString());
        }
        return pointer;
    }
}
