package io.replagent.console;

/** How the console names a target: {@code WATCH/TARGET}, or just {@code TARGET} when that is unambiguous. */
final class Targets {

    private Targets() {}

    static boolean matches(String pattern, String watch, String target) {
        int slash = pattern.indexOf('/');
        if (slash < 0) return pattern.equals(target) || pattern.equals(watch);
        return pattern.substring(0, slash).equals(watch) && pattern.substring(slash + 1).equals(target);
    }
}
