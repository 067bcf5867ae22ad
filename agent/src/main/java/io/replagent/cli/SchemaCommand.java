package io.replagent.cli;

import io.replagent.state.StateFile;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.InputStream;

/** {@code agent schema}: the JSON Schema state files are checked against, as bundled in the jar. */
final class SchemaCommand implements AgentCommand {

    @Override public CommandSpec spec() {
        return Specs.command("print the state file's JSON Schema (2020-12), as editors and CI use it",
                ExitCode.OK_HELP, ExitCode.USAGE_HELP);
    }

    @Override public int run(Args args, Io io) throws IOException {
        try (InputStream in = StateFile.class.getResourceAsStream(StateFile.SCHEMA_RESOURCE)) {
            if (in == null) throw new IOException("schema resource missing from the jar: " + StateFile.SCHEMA_RESOURCE);
            io.out().write(in.readAllBytes());
            io.out().flush();
        }
        return ExitCode.OK;
    }
}
