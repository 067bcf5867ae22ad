package io.replagent.watch;

/**
 * Whether the watched root is still the directory the watch was set up on, and whether what sits at its path later
 * may be watched as the root again. Pure: the caller gives the identities it found.
 */
final class RootCheck {

    /** What the backend's own events said happened to the root. */
    enum Hint { NONE, DELETED, MOVED, UNMOUNTED }

    private RootCheck() {}

    /**
     * @param original   the root when it was set up
     * @param now        what is at the path now, or null when nothing is
     * @param goneMount  the mount point of the root's mount when that mount no longer exists, else null
     * @return null when the path still names the root through the same mount, else one line for the operator
     */
    static String lost(String display, Identity original, Identity now, String goneMount, Hint hint) {
        if (now != null && now.sameAs(original)) return null;
        String source = "source " + display;
        if (hint == Hint.UNMOUNTED || (goneMount != null && original.mountRoot()))
            return source + " was unmounted" + (now == null ? "" : "; the path now shows the directory under the mount point");
        if (goneMount != null)
            return source + " is gone: the filesystem it was on (mounted at " + goneMount + ") was unmounted";
        if (now == null)
            return source + (hint == Hint.DELETED ? " was deleted" : hint == Hint.MOVED ? " was moved away" : " is gone (deleted or moved away)");
        if (!now.dir()) return source + " is no longer a directory";
        if (now.sameObject(original)) return source + " is now seen through another mount (remounted)";
        if (now.mountRoot() && now.mountId() != original.mountId())
            return "another filesystem was mounted over " + source;
        String replaced = " (it was " + original.describe() + ", now " + now.describe() + ")";
        if (hint == Hint.MOVED) return source + " was moved away and another directory took its place" + replaced;
        if (hint == Hint.DELETED) return source + " was deleted and another directory took its place" + replaced;
        return source + " was replaced by another directory" + replaced;
    }

    /**
     * A directory at the root's path may be watched as the root again when it is on a mount at the same mount point
     * as the root was (a plain directory recreated on the same filesystem, or the filesystem mounted again), when it
     * is the root of a filesystem mounted at the path itself (a disk mounted where the source is: also over the bare
     * mount point an agent was started on), or when it is the very directory first watched (seen again once a
     * filesystem mounted over it is gone); never the bare mount point an unmounted filesystem leaves behind.
     *
     * @param originalMount mount point of the root's mount when it was last watched, null when it never was
     * @param path          the root's path, raw
     * @param first         the directory first watched as the root, null when none was yet
     */
    static boolean back(Identity now, String nowMount, String originalMount, String path, Identity first) {
        return now != null && now.dir() && (originalMount == null || originalMount.equals(nowMount)
                || (now.mountRoot() && path.equals(nowMount)) || now.sameObject(first));
    }
}
