package io.replagent.watch;

import io.replagent.state.Settings;
import io.replagent.tree.RawNames;

import java.io.IOException;
import java.util.Locale;

/**
 * Which backend watches a root, chosen each time a root is set up (a returning root may sit on another
 * filesystem) as the setting says: auto tries fanotify and takes inotify when fanotify cannot work, saying why;
 * an explicit fanotify that cannot work is an error naming the cause.
 */
final class Backends {

    private final Settings.WatchBackend setting;
    private final Excludes excludes;
    private final Report report;
    private volatile String backend;
    private volatile String reason;

    Backends(Settings.WatchBackend setting, Excludes excludes, Report report) {
        this.setting = setting;
        this.excludes = excludes;
        this.report = report;
        this.backend = setting.name().toLowerCase(Locale.ROOT);
        this.reason = "settings.watch_backend is " + backend + (setting == Settings.WatchBackend.AUTO
                ? "; not chosen yet: the source has not existed since the start" : "");
    }

    String backend() {
        return backend;
    }

    String reason() {
        return reason;
    }

    Session open(String root, Identity identity) throws IOException {
        switch (setting) {
            case INOTIFY -> {
                return chosen(InotifySession.open(root, excludes, report), "settings.watch_backend is inotify");
            }
            case FANOTIFY -> {
                try {
                    FanotifySession session = FanotifySession.open(root, identity, excludes, report);
                    return chosen(session, "settings.watch_backend is fanotify" + queue(session));
                } catch (IOException | RuntimeException | LinkageError e) {
                    throw new IOException("settings.watch_backend is fanotify, but " + why(root, e), e);
                }
            }
            default -> {
                try {
                    FanotifySession session = FanotifySession.open(root, identity, excludes, report);
                    return chosen(session, "settings.watch_backend is auto and fanotify can watch the source" + queue(session));
                } catch (IOException | RuntimeException | LinkageError e) {
                    return chosen(InotifySession.open(root, excludes, report), "settings.watch_backend is auto and " + why(root, e));
                }
            }
        }
    }

    /** What fanotify could not do: an {@link FanotifySession.Unavailable} says it in full, anything else is wrapped. */
    private static String why(String root, Throwable e) {
        return e instanceof FanotifySession.Unavailable ? e.getMessage()
                : "fanotify cannot watch " + RawNames.display(root) + ": " + e;
    }

    private static String queue(FanotifySession session) {
        return session.unlimitedQueue() ? "" : " (its queue is limited: an overflow means a full sync)";
    }

    private Session chosen(Session session, String why) {
        backend = session.backend();
        reason = why;
        return session;
    }
}
