package io.replagent.watch;

import io.replagent.tree.Change;

import java.util.ArrayList;
import java.util.List;

/** A listener that writes what it is told as lines ("CREATED dir n", "MOVED a -> b", "RENAMED f -> g", "ROOT LOST why"). */
final class Recorder implements Watcher.Listener {

    private final List<String> lines = new ArrayList<>();

    @Override public void changed(String path, Change change, boolean dir) {
        add(change + (dir ? " dir " : " ") + path);
    }

    @Override public void movedDirectory(String from, String to) {
        add("MOVED " + from + " -> " + to);
    }

    @Override public void movedFile(String from, String to) {
        add("RENAMED " + from + " -> " + to);
    }

    @Override public void overflow() {
        add("OVERFLOW");
    }

    @Override public void rootLost(String why) {
        add("ROOT LOST " + why);
    }

    @Override public void rootBack() {
        add("ROOT BACK");
    }

    @Override public void failed(Exception error) {
        add("FAILED " + error.getMessage());
    }

    synchronized void add(String line) {
        lines.add(line);
        notifyAll();
    }

    synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    /** The lines so far, and forgets them. */
    synchronized List<String> take() {
        List<String> out = List.copyOf(lines);
        lines.clear();
        return out;
    }

    /** Waits (bounded) until a line starting with {@code prefix} was recorded; returns it. */
    synchronized String await(String prefix) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) {
            for (String line : lines) if (line.startsWith(prefix)) return line;
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) throw new AssertionError("not reported: " + prefix + "; seen " + lines);
            wait(left);
        }
    }
}
