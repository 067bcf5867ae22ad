package io.replagent.console;

/** How the console names a target: {@code WATCH/TARGET}, or just {@code TARGET} when that is unambiguous. */
final class Targets {

    private Targets() {}

    static boolean matches(String pattern, String watch, String target) {
        // target names may hold a slash themselves (host/module), so compare whole names, never split
        return pattern.equals(watch + "/" + target) || pattern.equals(target) || pattern.equals(watch);
    }
}
