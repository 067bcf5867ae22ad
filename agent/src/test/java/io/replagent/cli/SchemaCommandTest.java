package io.replagent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class SchemaCommandTest {

    @Test
    void printsThePublishedSchemaByteForByte() throws Exception {
        ValidateCommandTest.Run r = ValidateCommandTest.run("", Map.of(), "schema");
        assertEquals(0, r.code());
        assertEquals(Files.readString(Path.of("../schema/state.schema.json")), r.out());
        JsonNode schema = JsonMapper.builder().build().readTree(r.out());
        assertEquals("https://json-schema.org/draft/2020-12/schema", schema.path("$schema").stringValue());
    }

    @Test
    void takesNoArguments() {
        assertEquals(64, ValidateCommandTest.run("", Map.of(), "schema", "extra").code());
    }
}
