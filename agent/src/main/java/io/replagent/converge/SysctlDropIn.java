package io.replagent.converge;

import io.replagent.system.HostFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code ensure: raise} persists the limits it writes in a sysctl.d drop-in, so a reboot keeps them, never below the
 * kernel's values now ({@link KernelLimit#persisted()}). Its content depends on the watched trees and the kernel, so it
 * is rendered when planned, not when built.
 */
final class SysctlDropIn implements Resource {

    private final Path path;
    private final List<KernelLimit> limits;
    private final HostFiles files;
    private final Ownership ownership;

    SysctlDropIn(Path path, List<KernelLimit> limits, HostFiles files, Ownership ownership) {
        this.path = path;
        this.limits = List.copyOf(limits);
        this.files = files;
        this.ownership = ownership;
    }

    private ManagedFile file() throws IOException {
        StringBuilder content = new StringBuilder("# Managed by agent: inotify limits the watches need.\n");
        for (KernelLimit limit : limits) {
            long value = limit.persisted();
            if (value > 0) content.append(limit.name()).append(" = ").append(value).append('\n');
        }
        return new ManagedFile("sysctl", path, content.toString().getBytes(StandardCharsets.UTF_8), 0644, Converger.ROOT, false, files, ownership);
    }

    @Override public String address() { return "file.sysctl[" + path + "]"; }

    @Override public List<Change> plan() throws IOException {
        return file().plan();
    }

    @Override public void apply() throws IOException {
        file().apply();
    }
}
