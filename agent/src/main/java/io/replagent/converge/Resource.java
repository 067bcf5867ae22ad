package io.replagent.converge;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/** One thing the converger manages: reads the host, never writes it in {@link #plan()}. */
interface Resource {

    String address();

    /** Reads the actual state and diffs it with the desired one. No side effects. */
    List<Change> plan() throws IOException;

    /** Findings that need no change but deserve a look (shown as plan warnings). Reads only. */
    default List<String> warnings() throws IOException {
        return List.of();
    }

    /** Values plan shows to people and tools (Terraform's outputs), by name; never a secret. Reads only. */
    default Map<String, String> outputs() throws IOException {
        return Map.of();
    }

    /** Makes the host match; called only after a fresh {@link #plan()} confirmed the planned changes. */
    void apply() throws IOException;
}
