package io.replagent.replicate;

import io.replagent.state.Settings;
import io.replagent.state.State;
import io.replagent.state.Target;
import io.replagent.state.Watch;
import io.replagent.testing.Watches;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ReloadPlanTest {

    private static final Path DIR = Path.of("/nonexistent-reload");
    private static final Target A = new Target("a", new Target.Local(Path.of("/backup/a")), Optional.empty(), Optional.empty());
    private static final Target B = new Target("b", new Target.Local(Path.of("/backup/b")), Optional.empty(), Optional.empty());
    private static final Watch DATA = Watches.withName(Watches.watch(Path.of("/srv/data"), A, B), "data");
    private static final Watch LOGS = Watches.withName(Watches.watch(Path.of("/srv/logs"), A), "logs");

    private static State state(Watch... watches) {
        return Watches.state(DIR, watches);
    }

    private static State withSettings(State s, UnaryOperator<Settings> change) {
        return new State(s.version(), change.apply(s.settings()), s.server(), s.client(), s.watches());
    }

    /** {name, running, next, the plan's lines, what needs a restart}. */
    @Test void whatAReloadChanges() {
        Target movedA = new Target("a", new Target.Local(Path.of("/backup/a2")), Optional.empty(), Optional.empty());
        Target c = new Target("c", new Target.Local(Path.of("/backup/c")), Optional.empty(), Optional.empty());
        Watch.BatchHook hook = new Watch.BatchHook(List.of("/bin/true"), Optional.<URI>empty(), Duration.ofSeconds(5));
        State base = state(DATA, LOGS);
        Object[][] cases = {
                {"nothing", base, state(DATA, LOGS), List.of(), List.of()},
                {"a watch removed", base, state(DATA), List.of("watch logs removed"), List.of()},
                {"a watch added", state(DATA), base, List.of("watch logs added (/srv/logs)"), List.of()},
                {"another source: a new watcher", base, state(DATA, LOGS.withSource(Path.of("/srv/logs2"))),
                        List.of("watch logs watched anew (source, exclude or events changed)"), List.of()},
                {"excludes: a new watcher", base, state(Watches.withExclude(DATA, List.of("*.tmp")), LOGS),
                        List.of("watch data watched anew (source, exclude or events changed)"), List.of()},
                {"one target's url: that target only", base, state(DATA.withTargets(List.of(movedA, B)), LOGS),
                        List.of("watch data target a retuned (its queue kept)"), List.of()},
                {"a target added and one removed", base, state(DATA.withTargets(List.of(B, c)), LOGS),
                        List.of("watch data target a removed", "watch data target c added"), List.of()},
                {"a watch option retunes every target", base,
                        state(Watches.withMaxDelete(DATA, new Watch.DeleteGuard(7, 0)), LOGS),
                        List.of("watch data target a retuned (its queue kept)", "watch data target b retuned (its queue kept)"),
                        List.of()},
                {"a hook alone touches no target", base, state(Watches.withOnBatch(DATA, hook), LOGS), List.of(), List.of()},
                {"the log level now", base, withSettings(base, s -> new Settings(s.stateDir(), s.statusFile(),
                        s.controlSocket(), Settings.LogLevel.DEBUG, s.inotify(), s.adopt(), s.watchBackend(), s.logFormat(),
                        s.metrics())), List.of("log level debug"), List.of()},
                {"own paths and the backend: a restart", base, withSettings(base, s -> new Settings(DIR.resolve("other"),
                        s.statusFile(), DIR.resolve("other.sock"), s.logLevel(), s.inotify(), s.adopt(),
                        Settings.WatchBackend.INOTIFY, Settings.LogFormat.JSON, s.metrics())), List.of(),
                        List.of("settings.state_dir", "settings.control_socket", "settings.watch_backend", "settings.log.format")},
        };
        for (Object[] c0 : cases) {
            ReloadPlan plan = ReloadPlan.of((State) c0[1], (State) c0[2]);
            assertEquals(c0[3], plan.describe(), (String) c0[0]);
            assertEquals(c0[4], plan.needRestart(), (String) c0[0]);
        }
    }

    @Test void aRetunedTargetIsTheNewDefinitionAndTheKeptWatchTheNewWatch() {
        Watch next = Watches.withMaxDelete(DATA, new Watch.DeleteGuard(7, 0));
        ReloadPlan plan = ReloadPlan.of(state(DATA), state(next));
        assertEquals(next, plan.kept().get("data").watch());
        assertEquals(List.of(A, B), plan.kept().get("data").retuned());
        assertEquals(List.of(), plan.added());
        assertEquals(List.of(), plan.rewatched());
    }
}
