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
                List.of("--numeric-ids")), w.fullSyncInterval(), w.maxDelete(), w.onBatch());
    }

    @Test void argvTable() {
        RsyncArgs a = new RsyncArgs("rsync", watch(DAEMON), DAEMON);
        List<String> common = List.of("rsync", "-a", "--stats", "--modify-window=-1", "-z", "--bwlimit=500", "--timeout=30", "--numeric-ids",
                "--exclude=*.swp", "--exclude=-x", "--password-file=/etc/pw");
        String dest = "rsync://u@127.0.0.1:8873/data/";
        Object[][] cases = {
                {a.full(true, -1), List.of("--delete", "/src/", dest)},
                {a.full(true, 0), List.of("--delete", "--max-delete=0", "/src/", dest)},
                {a.full(false, 50), List.of("/src/", dest)},
                {a.list(true), List.of("-r", "--from0", "--files-from=-", "--delete", "--delete-missing-args", "/src/", dest)},
                {a.list(false), List.of("-r", "--from0", "--files-from=-", "--ignore-missing-args", "/src/", dest)},
                {a.moved("top", "top2", true), List.of("--delete", "--link-dest=../top", "/src/top2/", dest + "top2/")},
                {a.moved("a/b", "c/d/e", false), List.of("--link-dest=../../../a/b", "/src/c/d/e/", dest + "c/d/e/")},
        };
        for (Object[] c : cases) {
            List<?> argv = (List<?>) c[0];
            assertEquals(common, argv.subList(0, common.size()));
            assertEquals(c[1], argv.subList(common.size(), argv.size()));
        }
    }

    @Test void inPlaceWritesMustNotShareInodesWithTheOldName() {
        Watch w = watch(DAEMON);
        Watch inPlace = new Watch(w.name(), w.source(), w.targets(), w.events(), w.delay(), w.maxDelays(), w.maxProcesses(),
                w.delete(), w.exclude(), w.init(), new Watch.RsyncOptions(false, 0, Duration.ZERO, false, List.of("--inplace")),
                w.fullSyncInterval(), w.maxDelete(), w.onBatch());
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
        assertTrue(a.full(true, -1).stream().noneMatch(s -> s.contains("hunter2")));
        assertEquals("/backup/", a.full(true, -1).get(a.full(true, -1).size() - 1));
    }

    @Test void pathListIsRawBytesLedByDotSlashEndedByNul() {
        byte[] expected = {'.', '/', 'a', ' ', 'b', 0, '.', '/', '-', 'x', '\n', 0, '.', '/', (byte) 0xff, '/', 'z', 0,
                '.', '/', ';', 'c', 0, '.', '/', '#', 'd', 0};
        assertArrayEquals(expected, RsyncArgs.pathList(List.of("a b", "-x\n",
                new String(new byte[] {(byte) 0xff, '/', 'z'}, StandardCharsets.ISO_8859_1), ";c", "#d")));
    }
}
