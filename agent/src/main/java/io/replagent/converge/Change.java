package io.replagent.converge;

import java.util.List;

/**
 * One planned difference between the host and the state.
 *
 * @param resource  the resource's address, e.g. {@code file.secrets[/etc/rsync.password]}
 * @param attribute what differs: {@code content}, {@code mode}, {@code owner}, {@code state}, a kernel parameter
 * @param before    the actual value as shown ({@code null}: absent); never a secret
 * @param after     the desired value as shown; never a secret
 * @param detail    extra lines (a line diff of a config file, an install hint)
 * @param sensitive the attribute holds a secret: renderers print {@code (sensitive)} instead of before/after
 */
public record Change(String resource, Action action, Reason reason, String attribute, String before, String after,
                     List<String> detail, boolean sensitive) {

    public Change {
        detail = List.copyOf(detail);
    }

    static Change of(String resource, Action action, Reason reason, String attribute, String before, String after) {
        return new Change(resource, action, reason, attribute, before, after, List.of(), false);
    }

    Change withDetail(List<String> lines) {
        return new Change(resource, action, reason, attribute, before, after, lines, sensitive);
    }

    Change asSensitive() {
        return new Change(resource, action, reason, attribute, before, after, detail, true);
    }
}
