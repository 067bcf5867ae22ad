package io.replagent.cli;

import io.replagent.state.StateFile;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/** {@code agent schema}: the JSON Schema state files are checked against, as bundled in the jar. */
final class SchemaCommand implements Command {

    @Override public String summary() { return "print the state file's JSON Schema"; }

    @Override public int run(List<String> args, Io io) throws IOException, UsageException {
        if (!args.isEmpty()) throw new UsageException("takes no arguments");
        try (InputStream in = StateFile.class.getResourceAsStream(StateFile.SCHEMA_RESOURCE)) {
            if (in == null) throw new IOException("schema resource missing from the jar: " + StateFile.SCHEMA_RESOURCE);
            io.out().write(in.readAllBytes());
            io.out().flush();
        }
        return ExitCode.OK;
    }
}
