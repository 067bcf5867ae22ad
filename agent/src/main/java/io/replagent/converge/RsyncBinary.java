package io.replagent.converge;

import io.replagent.system.Processes;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * rsync itself: both roles need version 3.1 or later (auth users with :ro/:rw, --info, secrets checks).
 * The agent does not install packages; the plan says how.
 */
final class RsyncBinary implements Resource {

    static final int MIN_MAJOR = 3, MIN_MINOR = 1;
    private static final Pattern VERSION = Pattern.compile("version\\s+v?(\\d+)\\.(\\d+)(?:\\.(\\d+))?");
    private static final List<String> INSTALL = List.of("install it: apt-get install rsync");

    private final Processes processes;
    private final String program;

    /** @param program the rsync the agent will run: {@code rsync} from PATH */
    RsyncBinary(Processes processes, String program) {
        this.processes = processes;
        this.program = program;
    }

    @Override public String address() { return "package[rsync]"; }

    @Override public List<Change> plan() {
        Optional<String> version;
        try {
            Processes.Result r = processes.run(List.of(program, "--version"));
            version = r.ok() ? parse(r.out()) : Optional.empty();
        } catch (IOException e) {
            return List.of(blocked(null, Reason.MISSING));
        }
        if (version.isEmpty()) return List.of(blocked("unknown version", Reason.UNAVAILABLE));
        return atLeastMinimum(version.get()) ? List.of() : List.of(blocked(version.get(), Reason.UNAVAILABLE));
    }

    private Change blocked(String actual, Reason reason) {
        return Change.of(address(), Action.BLOCKED, reason, "version", actual, ">= " + MIN_MAJOR + "." + MIN_MINOR)
                .withDetail(INSTALL);
    }

    /** The version from the first line of {@code rsync --version}, e.g. {@code rsync  version 3.2.7  protocol version 31}. */
    static Optional<String> parse(String versionOutput) {
        String first = versionOutput.lines().findFirst().orElse("");
        Matcher m = VERSION.matcher(first);
        if (!m.find()) return Optional.empty();
        return Optional.of(m.group(1) + "." + m.group(2) + (m.group(3) == null ? "" : "." + m.group(3)));
    }

    static boolean atLeastMinimum(String version) {
        String[] parts = version.split("\\.");
        int major = Integer.parseInt(parts[0]), minor = Integer.parseInt(parts[1]);
        return major > MIN_MAJOR || (major == MIN_MAJOR && minor >= MIN_MINOR);
    }

    @Override public void apply() throws IOException {
        throw new IOException("rsync is missing or too old; " + INSTALL.get(0));
    }
}
