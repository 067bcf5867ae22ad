package io.replagent.watch;

import io.replagent.state.Settings;
import io.replagent.tree.Change;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a watcher costs on a big tree: the time from start to watching, the resident memory, and the time a burst
 * takes to be reported. Not a test: a tool for the figures of a backend, run with the launcher's JVM flags:
 * <pre>
 *   java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k -Xms16m -Xmx256m -cp CLASSPATH \
 *     io.replagent.watch.WatchCost /tmp/tree20k inotify|fanotify [directories [idle-seconds]]
 * </pre>
 * The tree (200 directories of 99 subdirectories each, 20,000 in all by default) is made when it is missing. The
 * idle seconds (default 0) measure the CPU the watcher spends while the tree is quiet: on fanotify, filtering the
 * rest of the filesystem's events.
 */
public final class WatchCost {

    private WatchCost() {}

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        Settings.WatchBackend backend = Settings.WatchBackend.valueOf(args[1].toUpperCase(Locale.ROOT));
        int directories = args.length > 2 ? Integer.parseInt(args[2]) : 20_000;
        int idleSeconds = args.length > 3 ? Integer.parseInt(args[3]) : 0;
        if (!Files.isDirectory(root)) generate(root, directories);
        long rssBefore = rssKb();
        AtomicLong events = new AtomicLong();
        Watcher.Listener counter = new Watcher.Listener() {
            @Override public void changed(String path, Change change, boolean dir) { events.incrementAndGet(); }
            @Override public void movedDirectory(String from, String to) { events.incrementAndGet(); }
            @Override public void movedFile(String from, String to) { events.incrementAndGet(); }
            @Override public void overflow() { System.out.println("overflow"); }
            @Override public void rootLost(String why) { System.out.println("root lost: " + why); }
            @Override public void rootBack() { System.out.println("root back"); }
            @Override public void failed(Exception error) { System.out.println("failed: " + error); }
        };
        long tLoad = System.nanoTime();
        Identity.of("/"); // loads jnr-ffi and libc's binding: a one-time cost both backends share, told apart
        long load = System.nanoTime() - tLoad;
        long t0 = System.nanoTime();
        try (Watcher w = Watchers.open(root, List.of(), Set.of(), backend, counter)) {
            w.start("watch-cost");
            long ready = System.nanoTime() - t0;
            long rssWatching = rssKb();
            Path burst = root.resolve("burst-" + System.nanoTime());
            for (int d = 0; d < 10; d++) {
                Path dir = Files.createDirectories(burst.resolve("d" + d));
                for (int f = 0; f < 100; f++) Files.writeString(dir.resolve("f" + f), "x");
            }
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (events.get() < 10 && System.nanoTime() < deadline) Thread.sleep(5); // at least the 10 directories
            Thread.sleep(500); // let the rest of the burst arrive
            System.out.printf(Locale.ROOT, "backend=%s directories=%d ffi_load_ms=%d ready_ms=%d rss_before_mb=%.1f rss_watching_mb=%.1f"
                            + " rss_after_burst_mb=%.1f burst_events=%d watches=%d%n",
                    w.backend(), directories, load / 1_000_000, ready / 1_000_000, rssBefore / 1024.0, rssWatching / 1024.0, rssKb() / 1024.0,
                    events.get(), w.watchedDirectories());
            removeTree(burst);
            if (idleSeconds > 0) {
                long cpu0 = cpuMillis();
                long events0 = events.get();
                Thread.sleep(idleSeconds * 1000L);
                System.out.printf(Locale.ROOT, "idle_s=%d idle_cpu_ms=%d idle_events=%d%n", idleSeconds, cpuMillis() - cpu0,
                        events.get() - events0);
            }
        }
    }

    private static void generate(Path root, int directories) throws IOException {
        int made = 0;
        for (int top = 0; made < directories; top++) {
            Path t = Files.createDirectories(root.resolve(String.format("d%03d", top)));
            made++;
            for (int sub = 0; sub < 99 && made < directories; sub++, made++) {
                Path s = Files.createDirectory(t.resolve(String.format("e%02d", sub)));
                Files.writeString(s.resolve("f"), "x");
            }
        }
    }

    private static long rssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
        return -1;
    }

    /** User and system time of this process (clock ticks of 10 ms). */
    private static long cpuMillis() throws IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
    }

    private static void removeTree(Path dir) throws IOException {
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
