package io.replagent.replicate;

import io.replagent.state.Target;
import io.replagent.state.Watch;
import io.replagent.testing.Watches;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ReservedArgsTest {

    private static final Target DAEMON = new Target("t", new Target.Daemon("u", "127.0.0.1", 8873, "data", ""),
            Optional.of(Path.of("/etc/pw")), Optional.empty());
    private static final Target IN_MODULE = new Target("m", new Target.Daemon("u", "h", 873, "data", "a/b"), Optional.empty(),
            Optional.empty());
    private static final Target SSH = new Target("s", new Target.Ssh("backup", "h", 2222, "/srv/nfs", Target.SshAccess.NONE),
            Optional.empty(), Optional.empty());
    private static final Target LOCAL = new Target("l", new Target.Local(Path.of("/backup/x")), Optional.empty(), Optional.empty());

    /** A watch with a timeout and other options: only the timeout and the password file reach these pushes. */
    private static ReservedArgs reserved(Target t) {
        Watch w = Watches.withRsync(Watches.watch(Path.of("/src"), t),
                new Watch.RsyncOptions(true, 500, Duration.ofSeconds(30), true, List.of("--numeric-ids")));
        return new RsyncArgs("rsync", w, t, t.endpoint() instanceof Target.Ssh ? "ssh -F /cfg -p 2222" : null).reserved();
    }

    /**
     * Each push names the source's root alone (every name excluded) or the staging tree, never a file of the tree;
     * through the target's one transport. The link phase: the receiver links its own copy of each old name
     * (--link-dest=its root as it takes a basis dir, by size alone: nothing else is preserved), -H the new name to it;
     * one file list, or a group split over lists loses its link.
     */
    @Test void argvTable() {
        List<String> empty = List.of("-r", "--mkpath", "--delete", "--delete-excluded", "--exclude=*");
        List<String> link = List.of("-rH", "--no-inc-recursive", "--size-only", "--sparse", "-z", "--delete", "--stats");
        String daemon = "rsync://u@127.0.0.1:8873/data/";
        String ssh = "backup@h:/srv/nfs/";
        Object[][] cases = {
                {DAEMON, "prepare", List.of("rsync"), empty, List.of("--timeout=30", "--password-file=/etc/pw", "/src/", daemon + ".agent/tmp/")},
                {DAEMON, "link", List.of("rsync"), link, List.of("--timeout=30", "--password-file=/etc/pw", "--link-dest=/",
                        "/st/", daemon + ".agent/tmp/renames/")},
                {DAEMON, "cleanup", List.of("rsync"), empty, List.of("--timeout=30", "--password-file=/etc/pw", "/src/",
                        daemon + ".agent/tmp/renames/")},
                {IN_MODULE, "link", List.of("rsync"), link, List.of("--timeout=30", "--link-dest=/a/b", "/st/",
                        "rsync://u@h:873/data/a/b/.agent/tmp/renames/")},
                {SSH, "prepare", List.of("rsync", "-e", "ssh -F /cfg -p 2222"), empty, List.of("--timeout=30", "/src/", ssh + ".agent/tmp/")},
                {SSH, "link", List.of("rsync", "-e", "ssh -F /cfg -p 2222"), link, List.of("--timeout=30", "--link-dest=/srv/nfs/",
                        "/st/", ssh + ".agent/tmp/renames/")},
                {SSH, "cleanup", List.of("rsync", "-e", "ssh -F /cfg -p 2222"), empty, List.of("--timeout=30", "/src/",
                        ssh + ".agent/tmp/renames/")},
                {LOCAL, "link", List.of("rsync"), link, List.of("--timeout=30", "--link-dest=/backup/x/", "/st/",
                        "/backup/x/.agent/tmp/renames/")},
        };
        for (Object[] c : cases) {
            ReservedArgs a = reserved((Target) c[0]);
            List<String> argv = switch ((String) c[1]) {
                case "prepare" -> a.prepare();
                case "link" -> a.link(Path.of("/st"));
                default -> a.cleanup();
            };
            List<String> expected = new java.util.ArrayList<>();
            for (int i = 2; i < 5; i++) expected.addAll(cast(c[i]));
            assertEquals(expected, argv, c[0] + " " + c[1]);
        }
    }

    @Test void theRenamedBasisIsUnderTheLinkPhasesDestinationAsTheReceiverTakesIt() {
        Object[][] cases = {
                {DAEMON, "", "/.agent/tmp/renames/.agent/to"},
                {IN_MODULE, "top2", "/a/b/.agent/tmp/renames/.agent/to/top2"},
                {SSH, "c/d", "/srv/nfs/.agent/tmp/renames/.agent/to/c/d"},
                {LOCAL, "", "/backup/x/.agent/tmp/renames/.agent/to"},
        };
        for (Object[] c : cases) assertEquals(c[2], reserved((Target) c[0]).renamedBasis((String) c[1]), c[0].toString());
    }

    @SuppressWarnings("unchecked")
    private static List<String> cast(Object o) {
        return (List<String>) o;
    }
}
