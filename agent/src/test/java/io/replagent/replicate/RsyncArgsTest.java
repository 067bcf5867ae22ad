package io.replagent.replicate;

import io.replagent.state.Secret;
import io.replagent.state.Target;
import io.replagent.state.Watch;
import io.replagent.testing.Watches;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RsyncArgsTest {

    private static final Target DAEMON = new Target("t", new Target.Daemon("u", "127.0.0.1", 8873, "data", ""),
            Optional.of(Path.of("/etc/pw")), Optional.empty());
    private static final Target SECRET = new Target("s", new Target.Local(Path.of("/backup")), Optional.empty(),
            Optional.of(new Secret.Literal("hunter2")));

    private static Watch watch(Target t) {
        Watch w = Watches.withExclude(Watches.watch(Path.of("/src"), t), List.of("*.swp", "-x"));
        return new Watch(w.name(), w.source(), w.targets(), w.events(), w.delay(), w.maxDelays(), w.maxProcesses(),
                w.delete(), w.exclude(), w.init(), new Watch.RsyncOptions(true, 500, Duration.ofSeconds(30), false,
                List.of("--numeric-ids")), w.fullSyncInterval(), w.maxDelete(), w.auditInterval());
    }

    @SuppressWarnings("unchecked")
    @Test void argvTable() {
        RsyncArgs a = new RsyncArgs("rsync", watch(DAEMON), DAEMON);
        List<String> common = List.of("rsync", "-a", "--stats", "--modify-window=-1", "-z", "--bwlimit=500", "--timeout=30", "--numeric-ids",
                "--exclude=*.swp", "--exclude=-x", "--password-file=/etc/pw");
        String dest = "rsync://u@127.0.0.1:8873/data/";
        String temp = "--temp-dir=/.agent/tmp";
        String reserved = "--exclude=/.agent/";
        Object[][] cases = {
                {a.full(true, -1, true), true, List.of(temp, "--delete", "/src/", dest)},
                {a.full(true, 0, true), true, List.of(temp, "--delete", "--max-delete=0", "/src/", dest)},
                {a.full(false, 50, false), true, List.of("/src/", dest)}, // the first push, while .agent/tmp/ is made
                {a.list(true, RsyncArgs.Check.NAMED, false), true, List.of(temp, "--ignore-times", "-r", "--from0",
                        "--files-from=-", "--delete", "--delete-missing-args", "/src/", dest)},
                {a.list(false, RsyncArgs.Check.CHECKSUM, true), true, List.of(temp, "--checksum", "--fuzzy", "-r", "--from0",
                        "--files-from=-", "--ignore-missing-args", "/src/", dest)},
                {a.list(true, RsyncArgs.Check.CHECKSUM, true), true, List.of(temp, "--checksum", "--fuzzy", "--delete-after", "-r",
                        "--from0", "--files-from=-", "--delete", "--delete-missing-args", "/src/", dest)},
                // a move's transfer is rooted below the target's root: the reserved filter would hit top2/.agent
                {a.moved("top", "top2", true), false, List.of(temp, "--delete", "--link-dest=../top", "/src/top2/", dest + "top2/")},
                {a.moved("a/b", "c/d/e", false), false, List.of(temp, "--link-dest=../../../a/b", "/src/c/d/e/", dest + "c/d/e/")},
                {a.audit(), true, List.of("--checksum", "--dry-run", "--delete", "--out-format=%i %n", "/src/", dest)},
        };
        for (Object[] c : cases) {
            List<String> argv = new java.util.ArrayList<>((List<String>) c[0]);
            assertEquals(c[1], argv.remove(reserved), "the reserved .agent/ is filtered: " + argv);
            assertEquals(common, argv.subList(0, common.size()));
            assertEquals(c[2], argv.subList(common.size(), argv.size()));
        }
        assertEquals(List.of("rsync", "-r", "--mkpath", "--delete", "--delete-excluded", "--exclude=*", "--timeout=30",
                "--password-file=/etc/pw", "/src/", dest + ".agent/tmp/"), a.prepare());
    }

    @Test void theLinkPhaseAndItsCleanupPushIntoTheReservedDirectoryAndNameNoFile() {
        RsyncArgs a = new RsyncArgs("rsync", watch(DAEMON), DAEMON);
        String dest = "rsync://u@127.0.0.1:8873/data/";
        // the receiver links its own copy of each old name (--link-dest=its root, by size alone: nothing else is
        // preserved), -H the new name to it; one file list, or a group split over lists loses its link
        assertEquals(List.of("rsync", "-rH", "--no-inc-recursive", "--size-only", "--sparse", "-z", "--delete", "--stats",
                "--timeout=30", "--password-file=/etc/pw", "--link-dest=/", "/state/renames/w@t/", dest + ".agent/tmp/renames/"),
                a.link(Path.of("/state/renames/w@t")));
        assertEquals(List.of("rsync", "-r", "--mkpath", "--delete", "--delete-excluded", "--exclude=*", "--timeout=30",
                "--password-file=/etc/pw", "/src/", dest + ".agent/tmp/renames/"), a.cleanup());
        String basis = "--copy-dest=/.agent/tmp/renames/.agent/to";
        assertTrue(a.list(true, RsyncArgs.Check.CHECKSUM, true, true).contains(basis));
        assertTrue(a.list(true, RsyncArgs.Check.NAMED, true, true).contains(basis));
        assertTrue(a.list(true, RsyncArgs.Check.NAMED, true, false).stream().noneMatch(x -> x.startsWith("--copy-dest")));
        assertEquals(List.of("--link-dest=../top", "--link-dest=/.agent/tmp/renames/.agent/to/top2"),
                a.moved("top", "top2", true, true).stream().filter(x -> x.startsWith("--link-dest")).toList(),
                "files renamed into a moved directory are found in the link phase's copies too");
    }

    @Test void theLinkPhaseNamesTheTargetsRootAsItsReceiverTakesIt() {
        Target sub = new Target("t", new Target.Daemon("u", "h", 873, "data", "a/b"), Optional.empty(), Optional.empty());
        Target local = new Target("l", new Target.Local(Path.of("/backup/x")), Optional.empty(), Optional.empty());
        RsyncArgs inModule = new RsyncArgs("rsync", watch(sub), sub);
        RsyncArgs inDirectory = new RsyncArgs("rsync", watch(local), local);
        assertTrue(inModule.link(Path.of("/s")).contains("--link-dest=/a/b"));
        assertTrue(inModule.list(true, RsyncArgs.Check.CHECKSUM, true, true).contains("--copy-dest=/a/b/.agent/tmp/renames/.agent/to"));
        assertTrue(inDirectory.link(Path.of("/s")).contains("--link-dest=/backup/x"));
        assertTrue(inDirectory.list(true, RsyncArgs.Check.CHECKSUM, true, true).contains("--copy-dest=/backup/x/.agent/tmp/renames/.agent/to"));
        assertTrue(inDirectory.list(true, RsyncArgs.Check.NAMED, true, true).contains("--no-whole-file"),
                "a local transfer would copy a renamed file below a new directory whole, ignoring its basis");
        assertFalse(inModule.list(true, RsyncArgs.Check.NAMED, true, true).contains("--no-whole-file"));
        assertFalse(inDirectory.list(true, RsyncArgs.Check.NAMED, true, false).contains("--no-whole-file"));
    }

    /** A batch of a target with history: every push keeps what it replaces or deletes, a move only adds names. */
    @SuppressWarnings("unchecked")
    @Test void historyArgvTable() {
        String b = "2026-12-01T08:15:02.123Z";
        Target sub = new Target("t", new Target.Daemon("u", "h", 873, "data", "hosts/web"), Optional.empty(), Optional.empty());
        RsyncArgs a = new RsyncArgs("rsync", watch(sub), sub).forBatch(b);
        List<String> keep = List.of("--backup", "--backup-dir=/hosts/web/.agent/history/" + b, "--out-format=%i %n");
        String dest = "rsync://u@h:873/data/hosts/web/";
        Object[][] cases = {
                {a.full(true, -1, true), keep},
                {a.list(true, RsyncArgs.Check.NAMED, false), keep},
                {a.list(false, RsyncArgs.Check.CHECKSUM, false), keep},
                {a.moved("x/old", "x/new", true), List.of("--ignore-existing", "-ii", "--backup",
                        "--backup-dir=/hosts/web/.agent/history/" + b + "/x/new", "--out-format=%i %n")},
        };
        for (Object[] c : cases) {
            List<String> argv = (List<String>) c[0];
            List<String> expected = (List<String>) c[1];
            int at = argv.indexOf(expected.get(0));
            assertEquals(expected, argv.subList(at, at + expected.size()), argv.toString());
            assertEquals(dest, argv.get(argv.size() - 1).replace("x/new/", ""));
        }
        assertTrue(!a.moved("x/old", "x/new", true).contains("--delete"), "a move with history deletes nothing");
        RsyncArgs off = new RsyncArgs("rsync", watch(sub), sub);
        assertTrue(off.full(true, -1, true).stream().noneMatch(x -> x.startsWith("--backup")), "no history: no backup");
    }

    @Test void theTempDirIsTheTargetRootsReservedDirectory() {
        Target sub = new Target("t", new Target.Daemon("u", "h", 873, "data", "a/b"), Optional.empty(), Optional.empty());
        Target local = new Target("l", new Target.Local(Path.of("/backup/x")), Optional.empty(), Optional.empty());
        assertTrue(new RsyncArgs("rsync", watch(sub), sub).list(true, RsyncArgs.Check.NAMED, false).contains("--temp-dir=/a/b/.agent/tmp"));
        assertTrue(new RsyncArgs("rsync", watch(local), local).moved("a", "b", true).contains("--temp-dir=/backup/x/.agent/tmp"));
    }

    @Test void inPlaceWritesMustNotShareInodesWithTheOldName() {
        Watch w = watch(DAEMON);
        Watch inPlace = new Watch(w.name(), w.source(), w.targets(), w.events(), w.delay(), w.maxDelays(), w.maxProcesses(),
                w.delete(), w.exclude(), w.init(), new Watch.RsyncOptions(false, 0, Duration.ZERO, false, List.of("--inplace")),
                w.fullSyncInterval(), w.maxDelete(), w.auditInterval());
        assertTrue(new RsyncArgs("rsync", inPlace, DAEMON).moved("a", "b", true).contains("--copy-dest=../a"));
    }

    @Test void namesArgvCannotCarryAreRefusedForMoves() {
        RsyncArgs a = new RsyncArgs("rsync", watch(DAEMON), DAEMON);
        for (String bad : List.of("st*r", "q?", "br[a]", "new\nline", "..", "a/../b", "\u00ff\u00fe")) {
            assertNull(a.moved("ok", bad, true), bad);
            assertNull(a.moved(bad, "ok", true), bad);
        }
    }

    @Test void secretsNeverReachArgv() {
        RsyncArgs a = new RsyncArgs("rsync", watch(SECRET), SECRET);
        assertTrue(a.full(true, -1, true).stream().noneMatch(s -> s.contains("hunter2")));
        assertEquals("/backup/", a.full(true, -1, true).get(a.full(true, -1, true).size() - 1));
    }

    @Test void pathListIsRawBytesLedByDotSlashEndedByNul() {
        byte[] expected = {'.', '/', 'a', ' ', 'b', 0, '.', '/', '-', 'x', '\n', 0, '.', '/', (byte) 0xff, '/', 'z', 0,
                '.', '/', ';', 'c', 0, '.', '/', '#', 'd', 0};
        assertArrayEquals(expected, RsyncArgs.pathList(List.of("a b", "-x\n",
                new String(new byte[] {(byte) 0xff, '/', 'z'}, StandardCharsets.ISO_8859_1), ";c", "#d")));
    }
}
