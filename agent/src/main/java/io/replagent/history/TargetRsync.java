package io.replagent.history;

import io.replagent.state.Secrets;
import io.replagent.state.Target;
import io.replagent.system.Processes;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * rsync runs of history against one target, authenticated as its pushes are: the target's password file in argv,
 * or its password in the child's environment ({@code RSYNC_PASSWORD}), never the password itself in argv. Runs
 * through {@link Processes}, the system layer's runner (a minimal environment, no shell).
 */
final class TargetRsync {

    /** A pull of a large restore may take hours; rsync's own --timeout ends a stalled one. */
    private static final Duration RUN_LIMIT = Duration.ofHours(24);
    private static final String IO_TIMEOUT = "--timeout=300";

    private final Target target;
    private final Map<String, String> childEnv = new HashMap<>();
    private final Processes processes = new Processes();

    TargetRsync(Target target, Map<String, String> env) throws IOException {
        this.target = target;
        childEnv.put("LANG", "C.UTF-8");
        if (target.password().isPresent()) childEnv.put("RSYNC_PASSWORD", Secrets.resolve(target.password().get(), env));
    }

    /** The target root as rsync names it, ending in '/'. */
    String root() {
        return target.endpoint().rsyncDestination();
    }

    /**
     * Where restores pull from: a daemon module's root (rsync 3.5.0's daemon with {@code use chroot = no} reports every
     * file of a files-from pull from a subdirectory as vanished, exit 24), or the local directory.
     */
    String pullRoot() {
        if (target.endpoint() instanceof Target.Daemon d) {
            return new Target.Daemon(d.user(), d.host(), d.port(), d.module(), "").rsyncDestination();
        }
        return root();
    }

    /** The target root below {@link #pullRoot}: a daemon url's path with a '/', else "". */
    String pullPrefix() {
        return target.endpoint() instanceof Target.Daemon d && !d.path().isEmpty() ? d.path() + "/" : "";
    }

    Processes.Result run(List<String> args) throws IOException {
        List<String> argv = new ArrayList<>();
        argv.add("rsync");
        argv.add(IO_TIMEOUT);
        target.passwordFile().ifPresent(p -> argv.add("--password-file=" + p));
        argv.addAll(args);
        return processes.run(argv, childEnv, RUN_LIMIT);
    }

    /** The listing of {@code below} (a directory under the root, "" for the root), or null when it does not exist. */
    Map<String, Listing.Node> list(String below, String... filters) throws IOException {
        List<String> args = new ArrayList<>(List.of("--list-only", "--no-h", "-r"));
        args.addAll(List.of(filters));
        args.add(root() + below);
        Processes.Result r = run(args);
        if (r.exit() == 23 && r.err().contains("No such file or directory")) return null;
        if (!r.ok()) throw failed("list " + root() + below, r);
        return Listing.parse(Itemized.raw(r.out()));
    }

    IOException failed(String what, Processes.Result r) {
        return new IOException("rsync could not " + what + " (exit " + r.exit() + "): " + r.firstLine());
    }
}
