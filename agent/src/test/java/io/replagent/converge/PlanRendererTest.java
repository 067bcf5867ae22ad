package io.replagent.converge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.replagent.state.Diagnostic;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlanRendererTest {

    private final PlanRenderer renderer = new PlanRenderer(Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC), "0.1.0");
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private static final Plan PLAN = new Plan(List.of(
            PlanTest.CREATE_USER,
            new Change("file.secrets[/etc/rsync.password]", Action.CREATE, Reason.MISSING, "file", null, "owner root, mode 0600", List.of(), true),
            new Change("file.password[/etc/rsync.passwd]", Action.UPDATE, Reason.CONTENT_DRIFT, "content", null, null, List.of(), true),
            Change.of("file.password[/etc/rsync.passwd]", Action.UPDATE, Reason.SECURITY, "mode", "0644", "0600"),
            Change.of("file.rsyncd_conf[/etc/rsyncd.conf]", Action.UPDATE, Reason.CONTENT_DRIFT, "content", null, null)
                    .withDetail(List.of("@@ -1,1 +1,1 @@", "-a", "+b")),
            PlanTest.LIMIT.withDetail(List.of("raise it"))),
            List.of(new Diagnostic(Diagnostic.Severity.WARNING, "user[rsync]", 0, 0, 0, 0, "has a login shell", null)));

    private String text(ByteArrayOutputStream s) {
        return s.toString(StandardCharsets.UTF_8);
    }

    @Test void textGroupsByResourceAndRedactsSecrets() {
        renderer.text(PLAN, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals("""
                user[rsync]: warning: has a login shell
                The agent will perform the following actions:

                  + user[rsync]
                      + user: system user   (missing)

                  + file.secrets[/etc/rsync.password]
                      + file: owner root, mode 0600, content (sensitive)   (missing)

                  ~ file.password[/etc/rsync.passwd]
                      ~ content: (sensitive)   (content drift)
                      ~ mode: 0644 -> 0600   (security)

                  ~ file.rsyncd_conf[/etc/rsyncd.conf]
                      ~ content: differs   (content drift)
                          @@ -1,1 +1,1 @@
                          -a
                          +b

                  ! sysctl[fs.inotify.max_user_watches]
                      ! value: 5 -> >= 6   (limit too low)
                          raise it

                Plan: 2 to add, 2 to change, 0 to destroy, 1 blocked.
                """, text(out));
        assertEquals("", text(err));
    }

    @Test void noChangesSaysSo() {
        renderer.text(new Plan(List.of(), List.of()), new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        assertEquals("No changes. The host matches the state.\n", text(out));
    }

    @Test void outputsFollowThePlanAsTerraformShowsThem() {
        Plan plan = new Plan(List.of(), List.of(), java.util.Map.of("ssh_key[/etc/agent/id_ed25519]", PublicKeyFixture.ED25519 + " nfs-31"));
        renderer.text(plan, new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        assertEquals("No changes. The host matches the state.\n\nOutputs:\n  ssh_key[/etc/agent/id_ed25519] = "
                + PublicKeyFixture.ED25519 + " nfs-31\n", text(out));
        out.reset();
        renderer.json(plan, new PrintStream(out, true, StandardCharsets.UTF_8));
        assertEquals("{\"@level\":\"info\",\"@message\":\"Outputs: 1\",\"@module\":\"agent\",\"@timestamp\":\"2026-01-02T03:04:05Z\","
                + "\"type\":\"outputs\",\"outputs\":{\"ssh_key[/etc/agent/id_ed25519]\":{\"sensitive\":false,\"value\":\""
                + PublicKeyFixture.ED25519 + " nfs-31\"}}}", text(out).lines().toList().get(1));
    }

    @Test void jsonIsAVersionLineThenChangesThenASummary() {
        renderer.json(new Plan(PLAN.changes().subList(0, 4), List.of()), new PrintStream(out, true, StandardCharsets.UTF_8));
        List<String> lines = text(out).lines().toList();
        assertEquals(6, lines.size());
        assertEquals("{\"@level\":\"info\",\"@message\":\"agent 0.1.0\",\"@module\":\"agent\",\"@timestamp\":\"2026-01-02T03:04:05Z\","
                + "\"type\":\"version\",\"agent\":\"0.1.0\",\"ui\":\"1.0\"}", lines.get(0));
        assertEquals("{\"@level\":\"info\",\"@message\":\"file.password[/etc/rsync.passwd]: Plan to update (content drift)\","
                + "\"@module\":\"agent\",\"@timestamp\":\"2026-01-02T03:04:05Z\",\"type\":\"planned_change\",\"change\":{\"resource\":"
                + "{\"addr\":\"file.password[/etc/rsync.passwd]\",\"resource_type\":\"file.password\"},\"action\":\"update\","
                + "\"reason\":\"content_drift\",\"attribute\":\"content\",\"before\":\"(sensitive)\",\"after\":\"(sensitive)\","
                + "\"sensitive\":true,\"detail\":[]}}", lines.get(3));
        assertEquals("{\"@level\":\"info\",\"@message\":\"Plan: 2 to add, 1 to change, 0 to destroy.\",\"@module\":\"agent\","
                + "\"@timestamp\":\"2026-01-02T03:04:05Z\",\"type\":\"change_summary\",\"changes\":{\"add\":2,\"change\":1,"
                + "\"remove\":0,\"blocked\":0,\"operation\":\"plan\"}}", lines.get(5));
        assertFalse(text(out).contains("\n\n"));
    }

    @Test void jsonDiagnosticsOfAStateFileCarryTheirPosition() {
        renderer.json(List.of(new Diagnostic(Diagnostic.Severity.ERROR, "state.yaml", 3, 7, 3, 9, "unknown key 'prot'", null)),
                new PrintStream(out, true, StandardCharsets.UTF_8));
        List<String> lines = text(out).lines().toList();
        assertEquals(2, lines.size());
        assertEquals("{\"@level\":\"error\",\"@message\":\"unknown key 'prot'\",\"@module\":\"agent\",\"@timestamp\":\"2026-01-02T03:04:05Z\","
                + "\"type\":\"diagnostic\",\"diagnostic\":{\"severity\":\"error\",\"summary\":\"unknown key 'prot'\",\"address\":\"state.yaml\","
                + "\"range\":{\"filename\":\"state.yaml\",\"start\":{\"line\":3,\"column\":7}}}}", lines.get(1));
    }

    @Test void jsonDiagnosticsComeAfterTheVersion() {
        renderer.json(new Plan(List.of(), PLAN.diagnostics()), new PrintStream(out, true, StandardCharsets.UTF_8));
        List<String> lines = text(out).lines().toList();
        assertEquals("{\"@level\":\"warn\",\"@message\":\"has a login shell\",\"@module\":\"agent\",\"@timestamp\":\"2026-01-02T03:04:05Z\","
                + "\"type\":\"diagnostic\",\"diagnostic\":{\"severity\":\"warning\",\"summary\":\"has a login shell\",\"address\":\"user[rsync]\"}}",
                lines.get(1));
    }
}
