package io.replagent.converge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.replagent.state.Diagnostic;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlanTest {

    static final Change CREATE_USER = Change.of("user[rsync]", Action.CREATE, Reason.MISSING, "user", null, "system user");
    static final Change DIR_MODE = Change.of("directory[/data]", Action.UPDATE, Reason.MODE_DRIFT, "mode", "0777", "0755");
    static final Change DIR_OWNER = Change.of("directory[/data]", Action.UPDATE, Reason.OWNER_DRIFT, "owner", "root", "rsync");
    static final Change FILE_CREATE = Change.of("file.secrets[/s]", Action.CREATE, Reason.MISSING, "file", null, "owner root, mode 0600");
    static final Change LIMIT = Change.of("sysctl[fs.inotify.max_user_watches]", Action.BLOCKED, Reason.LIMIT_TOO_LOW, "value", "5", ">= 6");

    @Test void summaryCountsEachResourceOnceByItsStrongestAction() {
        Plan plan = new Plan(List.of(CREATE_USER, DIR_MODE, DIR_OWNER, FILE_CREATE, LIMIT), List.of());
        assertEquals(new Plan.Summary(2, 1, 0, 1), plan.summary());
        assertEquals("Plan: 2 to add, 1 to change, 0 to destroy, 1 blocked.", plan.summary().planned());
        assertEquals("Plan: 0 to add, 1 to change, 0 to destroy.", new Plan(List.of(DIR_MODE), List.of()).summary().planned());
        assertEquals(List.of("user[rsync]", "directory[/data]", "file.secrets[/s]", "sysctl[fs.inotify.max_user_watches]"),
                List.copyOf(plan.byResource().keySet()));
    }

    @Test void strongestActionBlockedThenCreateThenDeleteThenUpdate() {
        assertEquals(Action.UPDATE, Plan.strongest(List.of(DIR_MODE, DIR_OWNER)));
        assertEquals(Action.CREATE, Plan.strongest(List.of(DIR_MODE, FILE_CREATE)));
        assertEquals(Action.BLOCKED, Plan.strongest(List.of(LIMIT, FILE_CREATE, DIR_MODE)));
    }

    @Test void errorsAndBlockedAreTold() {
        Diagnostic warning = new Diagnostic(Diagnostic.Severity.WARNING, "x", 0, 0, 0, 0, "w", null);
        Diagnostic error = new Diagnostic(Diagnostic.Severity.ERROR, "x", 0, 0, 0, 0, "e", null);
        assertFalse(new Plan(List.of(DIR_MODE), List.of(warning)).hasErrors());
        assertTrue(new Plan(List.of(), List.of(warning, error)).hasErrors());
        assertTrue(new Plan(List.of(DIR_MODE, LIMIT), List.of()).blocked());
        assertFalse(new Plan(List.of(), List.of()).hasChanges());
        assertEquals(List.of(error, warning), new Plan(List.of(), List.of(warning)).withDiagnosticsBefore(List.of(error)).diagnostics());
    }
}
