package io.replagent.converge;

import io.replagent.state.Diagnostic;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The changes that would make the host match the state, in apply order, what was noticed on the way, and the
 * outputs (values for people and tools, such as a generated key's public half).
 */
public record Plan(List<Change> changes, List<Diagnostic> diagnostics, Map<String, String> outputs) {

    public Plan {
        changes = List.copyOf(changes);
        diagnostics = List.copyOf(diagnostics);
        outputs = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(outputs));
    }

    public Plan(List<Change> changes, List<Diagnostic> diagnostics) {
        this(changes, diagnostics, Map.of());
    }

    /** The same plan with earlier diagnostics (the state file's warnings) first. */
    public Plan withDiagnosticsBefore(List<Diagnostic> earlier) {
        List<Diagnostic> all = new java.util.ArrayList<>(earlier);
        all.addAll(diagnostics);
        return new Plan(changes, all, outputs);
    }

    public boolean hasErrors() {
        return diagnostics.stream().anyMatch(d -> d.severity() == Diagnostic.Severity.ERROR);
    }

    public boolean blocked() {
        return changes.stream().anyMatch(c -> c.action() == Action.BLOCKED);
    }

    public boolean hasChanges() {
        return !changes.isEmpty();
    }

    /** Changes grouped by resource, in plan order. */
    public Map<String, List<Change>> byResource() {
        Map<String, List<Change>> grouped = new LinkedHashMap<>();
        for (Change c : changes) grouped.computeIfAbsent(c.resource(), k -> new java.util.ArrayList<>()).add(c);
        return grouped;
    }

    /** Resources counted once each, by their strongest action. */
    public record Summary(int add, int change, int destroy, int blocked) {
        public String planned() {
            String s = "Plan: " + add + " to add, " + change + " to change, " + destroy + " to destroy";
            return (blocked > 0 ? s + ", " + blocked + " blocked" : s) + ".";
        }

        public String applied() {
            return "Apply complete! Resources: " + add + " added, " + change + " changed, " + destroy + " destroyed.";
        }
    }

    public Summary summary() {
        int add = 0, change = 0, destroy = 0, blocked = 0;
        for (List<Change> resource : byResource().values()) {
            Action a = strongest(resource);
            if (a == Action.BLOCKED) blocked++;
            else if (a == Action.CREATE) add++;
            else if (a == Action.DELETE) destroy++;
            else change++;
        }
        return new Summary(add, change, destroy, blocked);
    }

    static Action strongest(List<Change> changes) {
        Action strongest = Action.UPDATE;
        for (Change c : changes)
            if (c.action() == Action.BLOCKED || (c.action() == Action.CREATE && strongest != Action.BLOCKED)
                    || (c.action() == Action.DELETE && strongest == Action.UPDATE)) strongest = c.action();
        return strongest;
    }
}
