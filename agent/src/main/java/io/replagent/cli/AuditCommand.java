package io.replagent.cli;

import io.replagent.replicate.Replication;
import io.replagent.replicate.ReplicationStatus;
import io.replagent.state.State;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code agent audit STATE WATCH [--root DIR] [--repair] [--json]}: compares the watch's source with each target by
 * checksum (rsync --checksum --dry-run) and reports what is missing, differs or is extra there; {@code --repair}
 * sends it. Exit 0 in step (or repaired), 2 differences found, 1 error.
 */
final class AuditCommand implements Command {

    @Override public String summary() {
        return "compare a watch's source and targets by checksum (STATE WATCH [--root DIR] [--repair] [--json])";
    }

    @Override public int run(List<String> arguments, Io io) throws Exception {
        List<String> args = new ArrayList<>(arguments);
        boolean repair = args.remove("--repair");
        boolean json = args.remove("--json");
        String watch = null;
        for (int i = args.size() - 1; i >= 1; i--) {
            String a = args.get(i);
            if (!a.startsWith("-") && !args.get(i - 1).equals("--root")) {
                watch = args.remove(i);
                break;
            }
        }
        if (watch == null) throw new UsageException("usage: agent audit STATE WATCH [--root DIR] [--repair] [--json]");
        Optional<State> state = StateArgs.parse(args, Set.of(), Set.of()).load(io);
        if (state.isEmpty()) return ExitCode.ERROR;
        Map<String, ReplicationStatus.AuditStatus> results;
        try {
            results = Replication.auditOnce(state.get(), io.env(), io.err(), watch, repair);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        if (json) io.out().println(JsonMapper.builder().build().writerWithDefaultPrettyPrinter().writeValueAsString(results));
        boolean differences = false;
        boolean failed = false;
        for (Map.Entry<String, ReplicationStatus.AuditStatus> e : results.entrySet()) {
            ReplicationStatus.AuditStatus a = e.getValue();
            failed |= a.error() != null;
            differences |= a.missing() + a.differs() + a.extra() > 0;
            if (json) continue;
            io.out().println(e.getKey() + ": " + (a.error() != null ? "audit failed: " + a.error()
                    : a.missing() + " missing, " + a.differs() + " differ, " + a.extra() + " extra on the target"
                    + (a.repaired() ? " (repaired)" : "")));
            a.first().forEach(p -> io.out().println("  " + p));
        }
        if (failed) return ExitCode.ERROR;
        return differences && !repair ? ExitCode.CHANGES : ExitCode.OK;
    }
}
