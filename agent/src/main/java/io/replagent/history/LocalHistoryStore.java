package io.replagent.history;

import io.replagent.system.Trees;
import io.replagent.tree.RawNames;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.TreeMap;

/**
 * The history of a directory on this host: a local target (the source's agent reads and prunes it) or a daemon
 * module's directory (the backup host's agent prunes it). Listings are walks; restores are rsync pulls as for a
 * daemon target, so modes, times and links come back the same way. Pruning deletes only below
 * {@code .agent/history/BATCH/} and {@code .agent/journal/}, never a link's target, never the mirror.
 */
final class LocalHistoryStore implements HistoryStore {

    private final Path root;
    private final TargetRsync rsync;

    LocalHistoryStore(Path root, TargetRsync rsync) {
        this.root = root;
        this.rsync = rsync;
    }

    @Override public Map<String, Listing.Node> mirror() throws IOException {
        if (!Files.isDirectory(root)) throw new IOException("the target " + root + " does not exist");
        return walk(root, true);
    }

    @Override public Listing.History history() throws IOException {
        Path dir = root.resolve(Layout.HISTORY);
        return Listing.history(Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) ? walk(dir, false) : Map.of());
    }

    @Override public Map<String, byte[]> journal() throws IOException {
        Map<String, byte[]> segments = new TreeMap<>();
        Path dir = root.resolve(Layout.JOURNAL);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) return segments;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) segments.put(f.getFileName().toString(), Files.readAllBytes(f));
            }
        }
        return segments;
    }

    @Override public void fetch(RestorePlanner.Plan plan, Path to, Progress progress) throws IOException {
        Pull.fetch(rsync, plan, to, progress);
    }

    /** Carries out a pruning plan; a batch or segment that is gone already is no error. */
    void prune(Pruner.Plan plan) throws IOException {
        for (String batch : plan.batches()) Trees.delete(batchDir(batch));
        for (Map.Entry<String, java.util.List<String>> e : plan.copies().entrySet()) {
            Path batch = batchDir(e.getKey());
            for (String raw : e.getValue()) {
                Path copy = batch.resolve(RawNames.display(raw)).normalize();
                if (!copy.startsWith(batch) || copy.equals(batch)) throw new IOException("not a kept copy: " + raw);
                Files.deleteIfExists(copy);
                for (Path d = copy.getParent(); !d.equals(batch) && isEmptyDir(d); d = d.getParent()) Files.delete(d);
            }
        }
        for (String segment : plan.segments()) {
            if (segment.contains("/") || segment.startsWith(".")) throw new IOException("not a journal segment: " + segment);
            Files.deleteIfExists(root.resolve(Layout.JOURNAL).resolve(segment));
        }
    }

    private Path batchDir(String batch) throws IOException {
        if (Layout.batchTime(batch).isEmpty()) throw new IOException("not a batch: " + batch);
        return root.resolve(Layout.HISTORY).resolve(batch);
    }

    private static boolean isEmptyDir(Path d) throws IOException {
        if (!Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)) return false;
        try (DirectoryStream<Path> s = Files.newDirectoryStream(d)) {
            return !s.iterator().hasNext();
        }
    }

    /** Raw relative path → node, without following links; the top-level reserved directory left out of a mirror. */
    private static Map<String, Listing.Node> walk(Path top, boolean mirror) throws IOException {
        Map<String, Listing.Node> nodes = new TreeMap<>();
        Files.walkFileTree(top, new SimpleFileVisitor<>() {
            @Override public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                if (dir.equals(top)) return FileVisitResult.CONTINUE;
                if (mirror && dir.getParent().equals(top) && dir.getFileName().toString().equals(Layout.RESERVED)) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                nodes.put(RawNames.of(top.relativize(dir)), new Listing.Node(Listing.Type.DIR, attrs.size()));
                return FileVisitResult.CONTINUE;
            }

            @Override public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                Listing.Type type = attrs.isRegularFile() ? Listing.Type.FILE : attrs.isSymbolicLink() ? Listing.Type.LINK
                        : attrs.isDirectory() ? Listing.Type.DIR : Listing.Type.OTHER;
                if (mirror && type != Listing.Type.DIR && file.getParent().equals(top)
                        && file.getFileName().toString().equals(Layout.RESERVED)) return FileVisitResult.CONTINUE;
                nodes.put(RawNames.of(top.relativize(file)), new Listing.Node(type, attrs.size()));
                return FileVisitResult.CONTINUE;
            }

            @Override public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) return FileVisitResult.CONTINUE; // vanished while walking
                throw e;
            }
        });
        return nodes;
    }
}
