package io.replagent.testing;

import io.replagent.state.InotifyLimits;
import io.replagent.state.Settings;
import io.replagent.state.State;
import io.replagent.state.Target;
import io.replagent.state.Watch;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Model records for tests, with the defaults the schema gives; change one field with the withers. */
public final class Watches {

    private Watches() {}

    public static Watch watch(Path source, Target... targets) {
        return new Watch("w", source, List.of(targets), Set.of(), Duration.ofMillis(100), 1000, 4,
                Watch.DeleteMode.TRUE, List.of(), true,
                new Watch.RsyncOptions(false, 0, Duration.ZERO, false, List.of()), Duration.ZERO, Watch.DeleteGuard.DEFAULT, Duration.ZERO, Optional.empty());
    }

    public static Watch withDelete(Watch w, Watch.DeleteMode mode) {
        return new Watch(w.name(), w.source(), w.targets(), w.events(), w.delay(), w.maxDelays(), w.maxProcesses(), mode,
                w.exclude(), w.init(), w.rsync(), w.fullSyncInterval(), w.maxDelete(), w.auditInterval(), w.onBatch());
    }

    public static Watch withExclude(Watch w, List<String> exclude) {
        return new Watch(w.name(), w.source(), w.targets(), w.events(), w.delay(), w.maxDelays(), w.maxProcesses(),
                w.delete(), exclude, w.init(), w.rsync(), w.fullSyncInterval(), w.maxDelete(), w.auditInterval(), w.onBatch());
    }

    public static Watch withInit(Watch w, boolean init) {
        return new Watch(w.name(), w.source(), w.targets(), w.events(), w.delay(), w.maxDelays(), w.maxProcesses(),
                w.delete(), w.exclude(), init, w.rsync(), w.fullSyncInterval(), w.maxDelete(), w.auditInterval(), w.onBatch());
    }

    public static Watch withMaxDelete(Watch w, Watch.DeleteGuard guard) {
        return new Watch(w.name(), w.source(), w.targets(), w.events(), w.delay(), w.maxDelays(), w.maxProcesses(),
                w.delete(), w.exclude(), w.init(), w.rsync(), w.fullSyncInterval(), guard, w.auditInterval(), w.onBatch());
    }

    public static Watch withFullSyncInterval(Watch w, Duration interval) {
        return new Watch(w.name(), w.source(), w.targets(), w.events(), w.delay(), w.maxDelays(), w.maxProcesses(),
                w.delete(), w.exclude(), w.init(), w.rsync(), interval, w.maxDelete(), w.auditInterval(), w.onBatch());
    }

    public static Watch withAuditInterval(Watch w, Duration interval) {
        return new Watch(w.name(), w.source(), w.targets(), w.events(), w.delay(), w.maxDelays(), w.maxProcesses(),
                w.delete(), w.exclude(), w.init(), w.rsync(), w.fullSyncInterval(), w.maxDelete(), interval, w.onBatch());
    }

    public static Watch withRsync(Watch w, Watch.RsyncOptions rsync) {
        return new Watch(w.name(), w.source(), w.targets(), w.events(), w.delay(), w.maxDelays(), w.maxProcesses(),
                w.delete(), w.exclude(), w.init(), rsync, w.fullSyncInterval(), w.maxDelete(), w.auditInterval(), w.onBatch());
    }

    public static Watch withName(Watch w, String name) {
        return new Watch(name, w.source(), w.targets(), w.events(), w.delay(), w.maxDelays(), w.maxProcesses(),
                w.delete(), w.exclude(), w.init(), w.rsync(), w.fullSyncInterval(), w.maxDelete(), w.auditInterval(), w.onBatch());
    }

    public static Watch withOnBatch(Watch w, Watch.BatchHook hook) {
        return new Watch(w.name(), w.source(), w.targets(), w.events(), w.delay(), w.maxDelays(), w.maxProcesses(),
                w.delete(), w.exclude(), w.init(), w.rsync(), w.fullSyncInterval(), w.maxDelete(), w.auditInterval(), Optional.of(hook));
    }

    /** A state with these watches; its state dir and status file under {@code dir}; the default watch backend (auto). */
    public static State state(Path dir, Watch... watches) {
        return state(dir, Settings.WatchBackend.AUTO, watches);
    }

    /**
     * A state whose watches use this backend (a test of inotify's own behaviour, overflow or watch counts, asks for
     * it; a {@link BothBackends} test passes its parameter). Asking for fanotify where it cannot work skips the test,
     * saying why ({@link WatchBackends#assume}).
     */
    public static State state(Path dir, Settings.WatchBackend backend, Watch... watches) {
        WatchBackends.assume(backend);
        Settings settings = new Settings(dir.resolve("state"), dir.resolve("status.json"), dir.resolve("agent.sock"),
                Settings.LogLevel.INFO, new InotifyLimits(InotifyLimits.Ensure.CHECK, 0, 0, 0, null), List.of(), backend,
                Settings.LogFormat.TEXT, Optional.empty());
        return new State(1, settings, Optional.empty(), Optional.empty(), List.of(watches));
    }
}
