package io.replagent.converge;

import org.junit.jupiter.api.Tag;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.replagent.system.Processes;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

@Tag("e2e")
class RsyncBinaryTest {

    @Test void versionFromTheFirstLine() {
        Map<String, Optional<String>> table = Map.of(
                "rsync  version 3.2.7  protocol version 31\nCopyright (C) 1996-2022", Optional.of("3.2.7"),
                "rsync  version v3.5.0  protocol version 32", Optional.of("3.5.0"),
                "rsync  version 2.6.9  protocol version 29", Optional.of("2.6.9"),
                "openrsync: protocol version 29", Optional.empty(),
                "", Optional.empty());
        table.forEach((output, version) -> assertEquals(version, RsyncBinary.parse(output), output));
    }

    @Test void threePointOneOrLater() {
        assertTrue(RsyncBinary.atLeastMinimum("3.1.0") && RsyncBinary.atLeastMinimum("3.2.7") && RsyncBinary.atLeastMinimum("4.0"));
        assertTrue(!RsyncBinary.atLeastMinimum("3.0.9") && !RsyncBinary.atLeastMinimum("2.6.9"));
    }

    @Test void theInstalledRsyncIsAcceptedAndAMissingOneBlocksWithTheInstallHint() throws Exception {
        assertEquals(List.of(), new RsyncBinary(new Processes(), "rsync").plan());
        List<Change> plan = new RsyncBinary(new Processes(), "/nonexistent/rsync").plan();
        assertEquals(Action.BLOCKED, plan.get(0).action());
        assertEquals(List.of("install it: apt-get install rsync"), plan.get(0).detail());
    }
}
