package io.replagent.converge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.replagent.system.HostFiles;
import java.util.List;
import org.junit.jupiter.api.Test;

class AttributesTest {

    private static HostFiles.Stat file(int mode, String owner) {
        return new HostFiles.Stat(false, true, mode, owner);
    }

    @Test void modeAndOwnerDriftAsATable() {
        record Row(int actualMode, String actualOwner, boolean secret, List<Change> expected) {}
        List<Row> rows = List.of(
                new Row(0600, "root", true, List.of()),
                new Row(0644, "root", true, List.of(Change.of("f", Action.UPDATE, Reason.SECURITY, "mode", "0644", "0600"))),
                new Row(0640, "root", true, List.of(Change.of("f", Action.UPDATE, Reason.SECURITY, "mode", "0640", "0600"))),
                new Row(0400, "root", true, List.of(Change.of("f", Action.UPDATE, Reason.MODE_DRIFT, "mode", "0400", "0600"))),
                new Row(0644, "root", false, List.of(Change.of("f", Action.UPDATE, Reason.MODE_DRIFT, "mode", "0644", "0600"))),
                new Row(0600, "daemon", true, List.of(Change.of("f", Action.UPDATE, Reason.SECURITY, "owner", "daemon", "root"))),
                new Row(0600, "daemon", false, List.of(Change.of("f", Action.UPDATE, Reason.OWNER_DRIFT, "owner", "daemon", "root"))),
                new Row(0604, "daemon", false, List.of(Change.of("f", Action.UPDATE, Reason.MODE_DRIFT, "mode", "0604", "0600"),
                        Change.of("f", Action.UPDATE, Reason.OWNER_DRIFT, "owner", "daemon", "root"))));
        for (Row row : rows)
            assertEquals(row.expected(), Attributes.drift("f", file(row.actualMode(), row.actualOwner()), 0600, "root", row.secret()), row.toString());
    }
}
