package io.replagent.converge;

import io.replagent.state.Diagnostic;
import java.io.PrintStream;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Shows a plan to a person (grouped by resource, one line per attribute) or to a machine (one JSON object per line,
 * as {@code terraform plan -json}). Secret attributes print as {@code (sensitive)}: a {@link Change} never carries a
 * secret, and the renderer does not even show which of its before/after would have been one.
 */
public final class PlanRenderer {

    static final String SENSITIVE = "(sensitive)";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Clock clock;
    private final String version;

    public PlanRenderer(Clock clock, String version) {
        this.clock = clock;
        this.version = version;
    }

    public void text(Plan plan, PrintStream out, PrintStream err) {
        for (Diagnostic d : plan.diagnostics())
            (d.severity() == Diagnostic.Severity.ERROR ? err : out).println(d);
        if (!plan.hasChanges()) {
            out.println("No changes. The host matches the state.");
            outputs(plan, out);
            return;
        }
        out.println("The agent will perform the following actions:");
        for (Map.Entry<String, List<Change>> resource : plan.byResource().entrySet()) {
            out.println();
            out.println("  " + Plan.strongest(resource.getValue()).symbol + " " + resource.getKey());
            for (Change c : resource.getValue()) {
                out.println("      " + c.action().symbol + " " + c.attribute() + ": " + values(c) + "   (" + c.reason().text + ")");
                for (String line : c.detail()) out.println("          " + line);
            }
        }
        out.println();
        out.println(plan.summary().planned());
        outputs(plan, out);
    }

    /** As Terraform's "Outputs:" block: {@code name = value}. */
    private static void outputs(Plan plan, PrintStream out) {
        if (plan.outputs().isEmpty()) return;
        out.println();
        out.println("Outputs:");
        plan.outputs().forEach((name, value) -> out.println("  " + name + " = " + value));
    }

    /** {@code before -> after}, only {@code after} for a creation, {@code (sensitive)} for secret content. */
    static String values(Change c) {
        if (c.sensitive())
            return c.action() == Action.CREATE ? c.after() + ", content " + SENSITIVE : SENSITIVE;
        if (c.before() == null && c.after() == null) return "differs";
        if (c.before() == null) return c.after();
        return c.before() + " -> " + c.after();
    }

    /** The version line and one line per diagnostic: all there is to say when the state file cannot be used. */
    public void json(List<Diagnostic> diagnostics, PrintStream out) {
        ObjectNode version = line("info", "agent " + this.version, "version");
        version.put("agent", this.version).put("ui", "1.0");
        out.println(version);
        for (Diagnostic d : diagnostics) {
            String level = d.severity() == Diagnostic.Severity.ERROR ? "error" : "warn";
            ObjectNode line = line(level, d.summary(), "diagnostic");
            ObjectNode diagnostic = line.putObject("diagnostic").put("severity", level.equals("warn") ? "warning" : "error")
                    .put("summary", d.summary()).put("address", d.file());
            if (d.line() > 0) diagnostic.putObject("range").put("filename", d.file()).putObject("start")
                    .put("line", d.line()).put("column", d.column());
            out.println(line);
        }
    }

    public void json(Plan plan, PrintStream out) {
        json(plan.diagnostics(), out);
        for (Change c : plan.changes()) {
            ObjectNode line = line("info", c.resource() + ": Plan to " + c.action().word + " (" + c.reason().text + ")", "planned_change");
            ObjectNode change = line.putObject("change");
            change.putObject("resource").put("addr", c.resource()).put("resource_type", c.resource().substring(0, c.resource().indexOf('[')));
            change.put("action", c.action().word).put("reason", c.reason().name().toLowerCase()).put("attribute", c.attribute());
            change.put("before", c.sensitive() ? SENSITIVE : c.before()).put("after", c.sensitive() ? SENSITIVE : c.after());
            change.put("sensitive", c.sensitive());
            c.detail().forEach(change.putArray("detail")::add);
            out.println(line);
        }
        if (!plan.outputs().isEmpty()) {
            ObjectNode line = line("info", "Outputs: " + plan.outputs().size(), "outputs");
            ObjectNode outputs = line.putObject("outputs");
            plan.outputs().forEach((name, value) -> outputs.putObject(name).put("sensitive", false).put("value", value));
            out.println(line);
        }
        Plan.Summary s = plan.summary();
        ObjectNode summary = line("info", s.planned(), "change_summary");
        summary.putObject("changes").put("add", s.add()).put("change", s.change()).put("remove", s.destroy())
                .put("blocked", s.blocked()).put("operation", "plan");
        out.println(summary);
    }

    private ObjectNode line(String level, String message, String type) {
        ObjectNode node = JSON.createObjectNode();
        node.put("@level", level).put("@message", message).put("@module", "agent")
                .put("@timestamp", clock.instant().toString()).put("type", type);
        return node;
    }
}
