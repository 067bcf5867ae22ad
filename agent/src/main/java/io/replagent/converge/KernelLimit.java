package io.replagent.converge;

import io.replagent.state.InotifyLimits;
import io.replagent.system.Sysctl;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

/**
 * One inotify limit in {@code /proc/sys/fs/inotify}. Not re-rooted by {@code --root}: it is the kernel's.
 * The need of {@code max_user_watches} is one watch per directory under the watched sources, that of
 * {@code max_user_instances} one instance per watch; the state's value is the floor. {@code ensure: check} blocks apply when the kernel gives less than the need (and only warns when it gives
 * less than the state's floor); {@code ensure: raise} writes the larger of both. Limits are never lowered.
 */
final class KernelLimit implements Resource {

    /** What the watches need of a limit, and why, for the plan. */
    interface Need {
        Need NONE = of(0, "");

        long count() throws IOException;

        String why(long count);

        static Need of(long count, String why) {
            return new Need() {
                @Override public long count() { return count; }
                @Override public String why(long n) { return why; }
            };
        }
    }

    /** One inotify watch per directory under the watched sources. */
    static Need directoriesOf(List<Path> sources) {
        List<Path> copy = List.copyOf(sources);
        return new Need() {
            @Override public long count() throws IOException {
                long directories = 0;
                for (Path source : copy) directories += countDirectories(source);
                return directories;
            }

            @Override public String why(long n) { return n + " directories are watched, one inotify watch each"; }
        };
    }

    private final String name;
    private final long floor;
    private final Need needed;
    private final InotifyLimits.Ensure ensure;
    private final Sysctl sysctl;
    private Long need;

    KernelLimit(String name, long floor, Need needed, InotifyLimits.Ensure ensure, Sysctl sysctl) {
        this.name = name;
        this.floor = floor;
        this.needed = needed;
        this.ensure = ensure;
        this.sysctl = sysctl;
    }

    String name() { return name; }

    @Override public String address() { return "sysctl[" + name + "]"; }

    /** The value this limit must have at least: the state's floor, or more when the watched trees need it. */
    long target() throws IOException {
        return Math.max(floor, need());
    }

    /**
     * The value a sysctl.d drop-in keeps for this limit: the target, or the kernel's value now when that is higher. A
     * drop-in is read at boot over the kernel's defaults, so a bare target would lower them: max_user_instances = 1
     * (one per watch) would leave every other inotify user of the host without an instance after a reboot.
     */
    long persisted() throws IOException {
        long target = target();
        return target <= 0 ? 0 : Math.max(target, sysctl.read(name).orElse(0L));
    }

    /**
     * Counted once per converger: a busy tree must not make apply see a different plan than the one approved
     * (or the drop-in differ from the value written).
     */
    private long need() throws IOException {
        if (need == null) need = needed.count();
        return need;
    }

    @Override public List<Change> plan() throws IOException {
        long actual = actual();
        long need = need();
        if (ensure == InotifyLimits.Ensure.CHECK) {
            if (actual >= need) return List.of();
            return List.of(Change.of(address(), Action.BLOCKED, Reason.LIMIT_TOO_LOW, "value", String.valueOf(actual),
                    ">= " + need).withDetail(List.of(needed.why(need),
                    "raise it (sysctl -w " + name + "=" + Math.max(floor, need) + ") or set settings.inotify.ensure: raise")));
        }
        long target = Math.max(floor, need);
        return actual >= target ? List.of()
                : List.of(Change.of(address(), Action.UPDATE, Reason.LIMIT_TOO_LOW, "value", String.valueOf(actual), String.valueOf(target)));
    }

    @Override public List<String> warnings() throws IOException {
        long actual = actual();
        if (ensure == InotifyLimits.Ensure.CHECK && actual >= need() && actual < floor)
            return List.of(name + " is " + actual + ", below the state's " + floor + " (ensure: check leaves it)");
        return List.of();
    }

    private long actual() throws IOException {
        return sysctl.read(name).orElseThrow(() -> new IOException(sysctl.path(name) + " does not exist (no inotify in this kernel?)"));
    }

    @Override public void apply() throws IOException {
        sysctl.write(name, target());
    }

    static long countDirectories(Path root) throws IOException {
        if (!Files.isDirectory(root)) return 0;
        long[] count = {0};
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                count[0]++;
                return FileVisitResult.CONTINUE;
            }

            @Override public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE; // vanished or unreadable: the watcher will not see it either
            }
        });
        return count[0];
    }
}
