package io.replagent.history;

import io.replagent.state.Target;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LayoutTest {

    @Test void batchNamesAlwaysCarryMillisecondsSoTheySortAsTimes() {
        Object[][] cases = {
                {"2026-12-01T08:15:02Z", "2026-12-01T08:15:02.000Z"},
                {"2026-12-01T08:15:02.1Z", "2026-12-01T08:15:02.100Z"},
                {"2026-12-01T08:15:02.123456789Z", "2026-12-01T08:15:02.123Z"},
                {"1999-01-09T23:59:59.999Z", "1999-01-09T23:59:59.999Z"},
        };
        for (Object[] c : cases) {
            String name = Layout.batch(Instant.parse((String) c[0]));
            assertEquals(c[1], name);
            assertEquals(Optional.of(Instant.parse((String) c[1])), Layout.batchTime(name));
        }
        assertEquals(-1, Integer.signum(Layout.batch(Instant.parse("2026-12-01T08:15:02.999Z"))
                .compareTo(Layout.batch(Instant.parse("2026-12-01T08:15:10Z")))));
    }

    @Test void strayNamesAreNotBatches() {
        for (String s : new String[]{"", "tmp", "2026-12-01T08:15:02Z", "2026-12-01T08:15:02.123+01:00", "2026-13-01T08:15:02.123Z",
                "2026-12-01 08:15:02.123Z"}) {
            assertEquals(Optional.empty(), Layout.batchTime(s), s);
        }
    }

    @Test void nextBatchIsStrictlyLaterThanThePreviousOne() {
        Instant t = Instant.parse("2026-12-01T08:15:02.123Z");
        Object[][] cases = {
                {t, null, "2026-12-01T08:15:02.123Z"},
                {t, "2026-12-01T08:15:02.100Z", "2026-12-01T08:15:02.123Z"},
                {t, "2026-12-01T08:15:02.123Z", "2026-12-01T08:15:02.124Z"}, // same millisecond
                {t.plusNanos(500_000), "2026-12-01T08:15:02.123Z", "2026-12-01T08:15:02.124Z"},
                {t, "2026-12-01T09:00:00.000Z", "2026-12-01T09:00:00.001Z"}, // the clock went back
        };
        for (Object[] c : cases) assertEquals(c[2], Layout.nextBatch((Instant) c[0], (String) c[1]));
    }

    @Test void backupDirIsAbsoluteSoNoDaemonStripsIt() {
        String b = "2026-12-01T08:15:02.123Z";
        Target.Endpoint module = new Target.Daemon("u", "h", 873, "data", "");
        Target.Endpoint sub = new Target.Daemon("u", "h", 873, "data", "hosts/web1");
        Target.Endpoint local = new Target.Local(Path.of("/backup/web1/"));
        Object[][] cases = {
                {module, "", "/.agent/history/" + b},
                {module, "a/b", "/.agent/history/" + b + "/a/b"},
                {sub, "", "/hosts/web1/.agent/history/" + b},
                {sub, "x", "/hosts/web1/.agent/history/" + b + "/x"},
                {local, "", "/backup/web1/.agent/history/" + b},
                {local, "to/dir", "/backup/web1/.agent/history/" + b + "/to/dir"},
                {new Target.Local(Path.of("/")), "", "/.agent/history/" + b},
        };
        for (Object[] c : cases) assertEquals(c[2], Layout.backupDir((Target.Endpoint) c[0], b, (String) c[1]));
        assertEquals("/hosts/web1/.agent/tmp", Layout.reserved(sub, "tmp"));
    }
}
