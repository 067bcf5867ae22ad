package io.replagent.state;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * The one spelling of a path that every check compares. Lexically: repeated and trailing slashes and {@code .}
 * segments go ({@code //srv/./data/} is {@code /srv/data}); {@code ..} is refused, because the kernel resolves it
 * after following symlinks, so {@code /a/link/..} need not be {@code /a}. Physically ({@link #real}): symlinks are
 * resolved as far as the path exists, so {@code /var/run/x} and {@code /run/x} are one file.
 */
final class StatePath {

    private StatePath() {}

    /**
     * @param what names the path in the message, e.g. "a path"
     * @throws IllegalArgumentException for a relative path or a {@code ..} segment
     */
    static String normalize(String path, String what) {
        if (!path.startsWith("/")) throw new IllegalArgumentException(what + " must be absolute (start with '/')");
        StringBuilder out = new StringBuilder();
        for (String segment : path.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) continue;
            if (segment.equals("..")) {
                throw new IllegalArgumentException(what + " must not contain '..' (it is resolved after symlinks): "
                        + "write the path it means");
            }
            out.append('/').append(segment);
        }
        return out.length() == 0 ? "/" : out.toString();
    }

    /** {@link #normalize} for paths a schema check already proved absolute; null for anything else. */
    static Path lexical(String path) {
        try {
            return Path.of(normalize(path, "a path"));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** A normalized absolute path of the state, re-rooted under {@code root} ({@code /}: unchanged). */
    static Path under(Path root, Path path) {
        return root.getParent() == null ? path : root.resolve(path.getRoot().relativize(path));
    }

    /**
     * The path as the kernel finds it: its longest existing prefix with every symlink resolved, then the rest.
     * A path that cannot be resolved (a loop, no permission) stays as it is.
     */
    static Path real(Path path) {
        return real(path, 40);
    }

    /** A dangling link is followed by hand (toRealPath refuses it): a link to a directory not made yet still counts. */
    private static Path real(Path path, int links) {
        Path existing = path;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) existing = existing.getParent();
        if (existing == null) return path;
        Path rest = existing.relativize(path);
        try {
            return existing.toRealPath().resolve(rest);
        } catch (IOException e) {
            if (links == 0 || !Files.isSymbolicLink(existing)) return path;
            try {
                Path target = real(existing.getParent(), links - 1).resolve(Files.readSymbolicLink(existing)).normalize();
                return real(target.resolve(rest), links - 1);
            } catch (IOException unreadable) {
                return path;
            }
        }
    }

    /** {@code inner} is {@code outer} or lies below it (whole segments: /ab is not inside /a). */
    static boolean inside(Path inner, Path outer) {
        return inner.startsWith(outer);
    }
}
