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
                List.of("--numeric-ids")), w.fullSyncInterval(), w.maxDelete(), w.auditInterval(), w.onBatch());
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
                {a.full(true, -1, true), true, List.of("--info=progress2", temp, "--delete", "/src/", dest)},
                {a.full(true, 0, true), true, List.of("--info=progress2", temp, "--delete", "--max-delete=0", "/src/", dest)},
                {a.full(false, 50, false), true, List.of("--info=progress2", "/src/", dest)}, // the first push, while .agent/tmp/ is made
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
    }

    /** A batch with renamed files builds the new names on the link phase's copies of the old ones. */
    @Test void renamedFilesAreBuiltOnTheLinkPhasesCopies() {
        RsyncArgs a = new RsyncArgs("rsync", watch(DAEMON), DAEMON);
        String basis = "--copy-dest=/.agent/tmp/renames/.agent/to";
        assertTrue(a.list(true, RsyncArgs.Check.CHECKSUM, true, true).contains(basis));
        assertTrue(a.list(true, RsyncArgs.Check.NAMED, true, true).contains(basis));
        assertTrue(a.list(true, RsyncArgs.Check.NAMED, true, false).stream().noneMatch(x -> x.startsWith("--copy-dest")));
        assertEquals(List.of("--link-dest=../top", "--link-dest=/.agent/tmp/renames/.agent/to/top2"),
                a.moved("top", "top2", true, true).stream().filter(x -> x.startsWith("--link-dest")).toList(),
                "files renamed into a moved directory are found in the link phase's copies too");
    }

    @Test void theLinkPhasesBasisIsNamedAsTheReceiverTakesIt() {
        Target sub = new Target("t", new Target.Daemon("u", "h", 873, "data", "a/b"), Optional.empty(), Optional.empty());
        Target local = new Target("l", new Target.Local(Path.of("/backup/x")), Optional.empty(), Optional.empty());
        RsyncArgs inModule = new RsyncArgs("rsync", watch(sub), sub);
        RsyncArgs inDirectory = new RsyncArgs("rsync", watch(local), local);
        assertTrue(inModule.list(true, RsyncArgs.Check.CHECKSUM, true, true).contains("--copy-dest=/a/b/.agent/tmp/renames/.agent/to"));
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

    /** Over ssh, every rsync (pushes, moves, the audit, the probe) goes through the target's one ssh (the .agent/ pushes: ReservedArgsTest). */
    @SuppressWarnings("unchecked")
    @Test void anSshTargetsArgvTable() {
        Target ssh = new Target("s", new Target.Ssh("backup", "h", 2222, "/srv/nfs", Target.SshAccess.NONE), Optional.empty(), Optional.empty());
        RsyncArgs a = new RsyncArgs("rsync", watch(ssh), ssh, "ssh -F /cfg -p 2222");
        List<String> common = List.of("rsync", "-e", "ssh -F /cfg -p 2222", "-a", "--stats", "-z", "--bwlimit=500",
                "--timeout=30", "--numeric-ids", "--exclude=*.swp", "--exclude=-x");
        String dest = "backup@h:/srv/nfs/";
        String temp = "--temp-dir=/srv/nfs/.agent/tmp";
        Object[][] cases = {
                {a.full(true, -1, true), List.of("--info=progress2", temp, "--delete", "/src/", dest)},
                {a.list(true, RsyncArgs.Check.NAMED, false), List.of(temp, "--ignore-times", "-r", "--from0", "--files-from=-",
                        "--delete", "--delete-missing-args", "/src/", dest)},
                // the basis absolute on the remote side: rrsync refuses "..", and reads it inside the account
                {a.moved("a/b", "c/d e", true), List.of(temp, "--delete", "--link-dest=/srv/nfs/a/b", "/src/c/d e/", dest + "c/d e/")},
                {a.audit(), List.of("--checksum", "--dry-run", "--delete", "--out-format=%i %n", "/src/", dest)},
        };
        for (Object[] c : cases) {
            List<String> argv = new java.util.ArrayList<>((List<String>) c[0]);
            argv.remove("--exclude=/.agent/");
            assertEquals(common, argv.subList(0, common.size()));
            assertEquals(c[1], argv.subList(common.size(), argv.size()));
        }
        // a dry push of nothing: an account that may only write (rrsync -wo) refuses the daemon's --list-only
        assertEquals(List.of("rsync", "-e", "ssh -F /cfg -p 2222", "--dry-run", "-d", "--exclude=*", "--timeout=10", "/src/", dest),
                a.probe());
        // renamed files: the basis absolute on the target's side
        assertTrue(a.list(true, RsyncArgs.Check.NAMED, false, true).contains("--copy-dest=/srv/nfs/.agent/tmp/renames/.agent/to"));
        Target root = new Target("r", new Target.Ssh("backup", "h", 22, "/", Target.SshAccess.NONE), Optional.empty(), Optional.empty());
        RsyncArgs atRoot = new RsyncArgs("rsync", watch(root), root, "ssh");
        assertTrue(atRoot.moved("a", "b", false).containsAll(List.of("--temp-dir=/.agent/tmp", "--link-dest=/a")));
        assertEquals("an ssh target needs its ssh command",
                org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new RsyncArgs("rsync", watch(root), root)).getMessage(),
                "never rsync's default ssh");
    }

    /**
     * rrsync checks every option the client sends against its table and refuses the whole run for one it does not know
     * (-@-1 of --modify-window=-1 was one): each argv this class builds (the link phase of renamed files too), with every rsync option a state can set,
     * runs through a real sshd into an rrsync account.
     */
    @Test @org.junit.jupiter.api.Tag("e2e")
    void rrsyncAcceptsEveryRsyncThisClassBuilds(@org.junit.jupiter.api.io.TempDir Path root) throws Exception {
        io.replagent.testing.Sshd.traversable(root);
        io.replagent.system.Processes processes = new io.replagent.system.Processes();
        Path key = root.resolve("id");
        assertTrue(processes.run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString())).ok());
        Path data = java.nio.file.Files.createDirectories(root.resolve("data"));
        Path src = java.nio.file.Files.createDirectories(root.resolve("src/top/sub"));
        java.nio.file.Files.writeString(src.resolve("f"), "content");
        java.nio.file.Files.writeString(root.resolve("src/g"), "more");
        Path staging = java.nio.file.Files.createDirectories(root.resolve("staging/" + ReservedArgs.RENAMED_TO));
        try (io.replagent.testing.Sshd sshd = io.replagent.testing.Sshd.start(root.resolve("sshd"))) {
            String user = sshd.account(root.resolve("home"), "restrict,command=\"/usr/bin/rrsync -no-lock " + data + "\" "
                    + java.nio.file.Files.readString(Path.of(key + ".pub")).strip());
            java.nio.file.Files.setOwner(data, data.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(user));
            for (List<String> extra : List.of(List.of("--numeric-ids", "--hard-links", "--acls", "--xattrs", "--sparse"), List.of("--inplace"))) {
                Target target = new Target("s", new Target.Ssh(user, "127.0.0.1", sshd.port(), "/", new Target.SshAccess(Optional.of(key),
                        List.of(sshd.hostKey()), Optional.empty(), java.util.Map.of())), Optional.empty(), Optional.empty());
                Watch w = Watches.withExclude(Watches.watch(root.resolve("src"), target), List.of("*.swp"));
                w = Watches.withRsync(w, new Watch.RsyncOptions(true, 10_000, Duration.ofSeconds(30), true, extra));
                SshCommand ssh = new SshCommand((Target.Ssh) target.endpoint(), root.resolve("state"));
                ssh.writeFiles();
                RsyncArgs a = new RsyncArgs("rsync", w, target, ssh.rsyncShell());
                byte[] paths = RsyncArgs.pathList(List.of("g", "top/sub/f", "gone"));
                Object[][] runs = {
                        {"prepare", a.reserved().prepare(), null}, {"probe", a.probe(), null}, {"initial", a.full(true, 0, false), null},
                        {"full", a.full(true, -1, true), null}, {"named", a.list(true, RsyncArgs.Check.NAMED, true), paths},
                        {"collapsed", a.list(true, RsyncArgs.Check.CHECKSUM, true), paths},
                        {"no deletes", a.list(false, RsyncArgs.Check.NAMED, false), paths},
                        {"move", a.moved("top", "top", true), null}, {"audit", a.audit(), null},
                        {"link phase", a.reserved().link(staging), null}, {"renamed", a.list(true, RsyncArgs.Check.NAMED, true, true), paths},
                        {"renamed move", a.moved("top", "top", true, true), null}, {"link cleanup", a.reserved().cleanup(), null}};
                try {
                    for (Object[] run : runs) {
                        @SuppressWarnings("unchecked") List<String> argv = (List<String>) run[1];
                        RsyncRunner.Result r = new RsyncRunner(java.util.Map.of("PATH", System.getenv("PATH"))).run(argv, (byte[]) run[2]);
                        assertEquals(0, r.exit(), run[0] + " " + extra + ": " + r.error());
                    }
                } finally {
                    processes.run(ssh.control("exit"));
                }
            }
            assertEquals("content", java.nio.file.Files.readString(data.resolve("top/sub/f")));
        }
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
                w.fullSyncInterval(), w.maxDelete(), w.auditInterval(), w.onBatch());
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
