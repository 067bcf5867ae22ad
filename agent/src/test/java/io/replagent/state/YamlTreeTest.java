package io.replagent.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

class YamlTreeTest {

    static YamlTree.Parsed parse(String yaml) throws InvalidStateException {
        return YamlTree.parse("f", yaml.getBytes(StandardCharsets.UTF_8));
    }

    static List<String> refused(byte[] content) {
        InvalidStateException e = assertThrows(InvalidStateException.class, () -> YamlTree.parse("f", content));
        return e.diagnostics().stream().map(StateFileTest::located).toList();
    }

    static List<String> refused(String yaml) {
        return refused(yaml.getBytes(StandardCharsets.UTF_8));
    }

    /** The scalar resolution: YAML 1.2's JSON schema; YAML 1.1 booleans, '~' and leading-zero numbers stay strings. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
        true     | boolean | true
        false    | boolean | false
        yes      | string  | yes
        on       | string  | on
        No       | string  | No
        ~        | string  | ~
        null     | null    | null
        ''       | null    | null
        873      | integer | 873
        -1       | integer | -1
        '\"873\"'| string  | 873
        0755     | string  | 0755
        1.5      | number  | 1.5
        1s       | string  | 1s
        0x1F     | string  | 0x1F
        """)
    void scalarsResolveAsTheJsonSchemaSays(String written, String type, String value) throws Exception {
        JsonNode node = parse("v: " + written + "\n").root().path("v");
        assertEquals(type, SchemaCheck.jsonType(node));
        assertEquals(value, node.isString() ? node.stringValue() : node.toString());
    }

    @Test
    void marksPointAtKeysAndValuesOneBased() throws Exception {
        YamlTree.Parsed parsed = parse("version: 1\nserver:\n  modules:\n    - { name: data, path: /data }\n");
        assertEquals(new Marks.Span(4, 27, 4, 32), parsed.marks().ofValue("/server/modules/0/path"));
        assertEquals(new Marks.Span(4, 21, 4, 25), parsed.marks().ofKey("/server/modules/0/path"));
        assertEquals(new Marks.Span(4, 7, 4, 34), parsed.marks().ofValue("/server/modules/0"));
        assertEquals(new Marks.Span(4, 7, 4, 34), parsed.marks().ofValue("/server/modules/0/missing"));
    }

    @Test
    void keysWithSlashesAndTildesHaveTheirOwnPointers() throws Exception {
        YamlTree.Parsed parsed = parse("a/b: 1\n'c~d': 2\n");
        assertEquals(1, parsed.root().path("a/b").asInt());
        assertEquals(new Marks.Span(1, 6, 1, 7), parsed.marks().ofValue("/a~1b"));
        assertEquals(new Marks.Span(2, 8, 2, 9), parsed.marks().ofValue("/c~0d"));
    }

    @Test
    void columnsCountCharactersNotBytesOrUtf16Units() throws Exception {
        YamlTree.Parsed parsed = parse("p: /données/\uD83D\uDCF7 photos\nq: x\n");
        assertEquals("/données/\uD83D\uDCF7 photos", parsed.root().path("p").stringValue());
        assertEquals(new Marks.Span(1, 4, 1, 21), parsed.marks().ofValue("/p"));
    }

    @Test
    void aByteOrderMarkIsAccepted() throws Exception {
        byte[] bom = {(byte) 0xef, (byte) 0xbb, (byte) 0xbf, 'v', ':', ' ', '1', '\n'};
        assertEquals(1, YamlTree.parse("f", bom).root().path("v").asInt());
    }

    @Test
    void everyDuplicateKeyIsReportedAtItsSecondOccurrence() {
        assertEquals(List.of("3:1: duplicate key 'a' (first at line 1)", "4:11: duplicate key 'c' (first at line 4)"),
                refused("a: 1\nb: 2\na: 3\nd: {c: 1, c: 2}\n"));
    }

    @Test
    void tabsInIndentationAreReportedOnEveryLine() {
        assertEquals(List.of("2:1: tab character in indentation: indent with spaces",
                        "3:3: tab character in indentation: indent with spaces"),
                refused("a:\n\tb: 1\n  \tc: 2\nd: \"tab\tinside a value is fine\"\n"));
    }

    @Test
    void tabsOnBlankLinesAreHarmless() throws Exception {
        assertEquals(2, parse("a: 1\n\t\nb: 2\n").root().path("b").asInt());
    }

    @Test
    void aTabInsideAQuotedValueIsFine() throws Exception {
        assertEquals("x\ty", parse("a: \"x\ty\"\n").root().path("a").stringValue());
    }

    @Test
    void syntaxErrorsCarryTheirPosition() {
        assertEquals(List.of("2:5: YAML syntax error: mapping values are not allowed here"), refused("a: b\nc: d: e\n"));
    }

    @Test
    void bytesThatAreNotUtf8AreRefusedWhereTheyAre() {
        assertEquals(List.of("2:4: not UTF-8: invalid byte 0xc3 at byte offset 8"),
                refused(new byte[] {'a', ':', ' ', '1', '\n', 'b', ':', ' ', (byte) 0xc3, '(', '\n'}));
    }

    @Test
    void aNulCharacterIsRefused() {
        assertEquals(List.of("1:5: NUL character in the file"), refused("a: b\0c\n"));
    }

    @Test
    void aFileOverOneMebibyteIsRefusedBeforeParsing() {
        byte[] big = new byte[YamlTree.MAX_BYTES + 1];
        Arrays.fill(big, (byte) '#');
        assertEquals(List.of("file is larger than the limit of 1 MiB"), refused(big));
    }

    @Test
    void aFileOfExactlyOneMebibyteIsRead() throws Exception {
        byte[] content = new byte[YamlTree.MAX_BYTES];
        Arrays.fill(content, (byte) ' ');
        byte[] start = "v: 1\n#".getBytes(StandardCharsets.UTF_8);
        System.arraycopy(start, 0, content, 0, start.length);
        assertEquals(1, YamlTree.parse("f", content).root().path("v").asInt());
    }

    /** The root mapping is the first level. */
    @Test
    void deepNestingIsRefusedBeforeComposing() {
        String deep = "a: " + "[".repeat(10_000) + "]".repeat(10_000) + "\n";
        assertEquals(List.of("1:35: nested deeper than 32 levels"), refused(deep));
    }

    @Test
    void nestingUpToTheLimitIsRead() throws Exception {
        String yaml = "a: " + "[".repeat(YamlTree.MAX_DEPTH - 1) + "]".repeat(YamlTree.MAX_DEPTH - 1) + "\n";
        assertTrue(parse(yaml).root().path("a").isArray());
    }

    @Test
    void tooManyAliasesAreRefused() {
        StringBuilder yaml = new StringBuilder("a: &a [x]\nb: [");
        for (int i = 0; i <= YamlTree.MAX_ALIASES; i++) yaml.append("*a, ");
        yaml.append("]\n");
        assertEquals("2:" + (5 + 4 * YamlTree.MAX_ALIASES) + ": more than 64 aliases", refused(yaml.toString()).get(0));
    }

    @Test
    void aliasesThatExpandIntoTooManyValuesAreRefused() {
        StringBuilder yaml = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i <= 7; i++) {
            String prev = "*a" + (i - 1);
            yaml.append("a").append(i).append(": &a").append(i)
                    .append(" [").append(String.join(", ", prev, prev, prev, prev, prev, prev, prev, prev)).append("]\n");
        }
        List<String> problems = refused(yaml.toString());
        assertEquals(1, problems.size());
        assertTrue(problems.get(0).endsWith("more than 100000 values after expanding aliases"), problems.get(0));
    }

    @Test
    void aFewAliasesAreFine() throws Exception {
        YamlTree.Parsed parsed = parse("x: &ex [\"*.swp\"]\na: *ex\nb: *ex\n");
        assertEquals("*.swp", parsed.root().path("b").path(0).stringValue());
    }

    @Test
    void moreThanOneDocumentIsRefused() {
        assertEquals(List.of("2:1: more than one YAML document: a state file holds exactly one"), refused("a: 1\n---\nb: 2\n"));
    }

    @Test
    void anEmptyFileIsRefused() {
        assertEquals(List.of("1:1: the file is empty: expected a mapping starting with 'version: 1'"), refused("# nothing\n"));
    }

    @Test
    void tagsOtherThanTheJsonOnesAndNonStringKeysAreRefused() {
        assertEquals(List.of("1:4: unsupported tag !secret: write plain values",
                        "2:1: keys must be plain strings",
                        "3:1: keys must be plain strings"),
                refused("a: !secret x\n1: b\n[c]: d\n"));
    }

    @Test
    void anExplicitStringTagKeepsAValueAString() throws Exception {
        assertEquals("873", parse("a: !!str 873\n").root().path("a").stringValue());
    }
}
