package io.replagent.health;

import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The rules over a running agent's status snapshot (the status JSON, snake_case, as the control socket serves it).
 * A new status field is one new row in one of the tables below; a field an older agent does not send reads as absent
 * and its rows do not apply.
 */
final class StatusRules {

    /** Watches in use from this share of fs.inotify.max_user_watches on are a warning. */
    static final double INOTIFY_WARNING = 0.9;
    /** Changes waiting longer than this are a warning: replication is not keeping up. */
    static final Duration STALE = Duration.ofMinutes(10);

    private StatusRules() {}

    /** The status root and the limits answer (watches used, the kernel's maximum). */
    record Agent(JsonNode status, JsonNode limits) {
        JsonNode agent() { return status.path("agent"); }
        String file() { return text(agent(), "state_file"); }
        /** SIGHUP reloads, as far as the status tells (an older agent does not say: it did). */
        boolean reloads() { return text(agent(), "sighup").isEmpty() || text(agent(), "sighup").equals("handled"); }
    }

    record Watch(JsonNode json) {
        String name() { return text(json, "name"); }
    }

    record Target(String watch, JsonNode json) {
        String id() { return watch + "/" + text(json, "name"); }
        boolean paused() { return text(json, "state").equals("paused"); }
        String reason() { return text(json, "pause_reason"); }
        String alert() { return text(json, "alert"); }
        int failures() { return json.path("failure_count").asInt(0); }
        int attempt() { return json.path("attempt").asInt(0); }
        String nextRetry() { return text(json, "next_retry").isEmpty() ? "" : ", next at " + text(json, "next_retry"); }
        double oldestPending() { return json.path("oldest_pending_s").asDouble(0); }
        String lastSuccess() { return text(json, "last_success").isEmpty() ? "never" : text(json, "last_success"); }
        /** The alert after a colon, when there is one: rsync's own words are the best cause. */
        String because() { return alert().isEmpty() ? "" : ": " + alert(); }
    }

    /** A refused reload's problems, the first three and how many more. */
    private static List<String> problems(tools.jackson.databind.JsonNode reload) {
        List<String> all = new java.util.ArrayList<>();
        reload.path("problems").forEach(p -> all.add(p.asString()));
        if (all.size() <= 3) return all;
        List<String> shown = new java.util.ArrayList<>(all.subList(0, 3));
        shown.add("and " + (all.size() - 3) + " more");
        return shown;
    }

    static final List<Rule<Agent>> AGENT = List.of(
            new Rule<>("agent.running", "agent", a -> a.agent().isObject(), Verdict.OK,
                    a -> "pid " + text(a.agent(), "pid") + ", version " + text(a.agent(), "version") + ", state "
                            + a.file(), a -> ""),
            new Rule<>("state.changed", "state file", a -> !text(a.agent(), "state_sha256").isEmpty()
                            && !text(a.agent(), "state_file_sha256").isEmpty()
                            && !text(a.agent(), "state_sha256").equals(text(a.agent(), "state_file_sha256")),
                    Verdict.WARN,
                    a -> "running state differs from the file: " + a.file() + " changed since the agent started",
                    a -> (a.reloads() ? "reload the agent to run it (systemctl reload agent, or kill -HUP its pid)"
                            : "restart the agent to run it (systemctl restart agent): SIGHUP does not reload this one")
                            + "; 'agent plan " + a.file() + "' shows what it changes on this host"),
            new Rule<>("state.reload_failed", "reload", a -> a.agent().path("last_reload").has("ok")
                            && !a.agent().path("last_reload").path("ok").asBoolean(), Verdict.WARN,
                    a -> "the reload at " + text(a.agent().path("last_reload"), "at") + " was refused, the agent runs the state "
                            + "it ran before: " + String.join("; ", problems(a.agent().path("last_reload"))),
                    a -> "fix the state file ('agent validate " + a.file() + "' shows every problem), then reload again"),
            new Rule<>("state.unreadable", "state file", a -> !text(a.agent(), "state_file_error").isEmpty(), Verdict.WARN,
                    a -> "the state file " + a.file() + " cannot be read (" + text(a.agent(), "state_file_error")
                            + "): the running state cannot be compared with it",
                    a -> "restore the file; the agent runs the state it started with until it is restarted"),
            new Rule<>("inotify.watches", "inotify", a -> a.limits().path("max_user_watches").asLong(0) > 0
                            && a.limits().path("watches_used").asLong(0)
                            >= INOTIFY_WARNING * a.limits().path("max_user_watches").asLong(0), Verdict.WARN,
                    a -> "inotify watches " + a.limits().path("watches_used").asLong() + " of fs.inotify.max_user_watches "
                            + a.limits().path("max_user_watches").asLong(),
                    a -> "raise settings.inotify.max_user_watches and apply (new directories are not watched at the limit)"));

    /**
     * What SIGHUP does in the running agent (its status's {@code agent.sighup}): nothing to say when it reloads. The
     * agent logs the same finding when it starts.
     */
    static final List<Rule<String>> SIGHUP = List.of(
            new Rule<>("sighup.ignored", "reload", s -> s.equals("ignored"), Verdict.WARN,
                    s -> "SIGHUP is ignored by this process (started under nohup, or by a parent that ignores SIGHUP): "
                            + "'systemctl reload' and 'kill -HUP' do not reload the state file",
                    s -> "start the agent without nohup (systemctl start agent) so SIGHUP reloads; until then restart it "
                            + "to run an edited state"),
            new Rule<>("sighup.reserved", "reload", s -> s.equals("reserved"), Verdict.WARN,
                    s -> "SIGHUP is reserved by the JVM (-Xrs, in AGENT_JAVA_OPTS?): SIGHUP ends the agent at once "
                            + "instead of reloading the state file",
                    s -> "start the agent without -Xrs so SIGHUP reloads; until then restart it to run an edited state"));

    static final List<Rule<Watch>> WATCH = List.of(
            new Rule<>("watch.error", "watching", w -> !text(w.json(), "error").isEmpty(), Verdict.FAIL,
                    w -> text(w.json(), "error"),
                    w -> "see the agent's log and 'limits' in agent console; restart the agent once fixed"),
            // a fanotify watch holds no inotify watch at all (one mark covers the filesystem): 0 is its normal count
            new Rule<>("watch.nothing_watched", "watching", w -> w.json().has("watched_directories")
                            && w.json().path("watched_directories").asInt() == 0
                            && !text(w.json(), "backend").equals("fanotify"), Verdict.FAIL,
                    w -> "no directory of " + text(w.json(), "source") + " is watched: changes there are not seen",
                    w -> "check that the source exists and is a directory, then restart the agent"));

    /** Why a target is paused ({@code pause_reason}), one row per reason; the last row covers an agent that sends none. */
    static final List<Rule<Target>> TARGET = List.of(
            new Rule<>("target.paused.source_lost", "pause", t -> t.paused() && t.reason().equals("source_lost"), Verdict.FAIL,
                    t -> "paused: the watched source is gone or is no longer the directory that was watched" + t.because(),
                    t -> "restore or remount the source; the watch is re-established with a guarded full sync when it is back"),
            new Rule<>("target.paused.mass_delete", "pause", t -> t.paused() && t.reason().equals("mass_delete"), Verdict.FAIL,
                    t -> "paused: a sync would delete more than max_delete allows" + t.because(),
                    t -> "if the deletes are meant: 'retry " + t.id() + " --allow-deletes' in agent console; "
                            + "if not, restore the source first"),
            new Rule<>("target.paused.error", "pause", t -> t.paused() && t.reason().equals("error"), Verdict.FAIL,
                    t -> "paused by a permanent rsync error" + t.because(),
                    t -> "fix the cause, then 'retry " + t.id() + "' in agent console"),
            new Rule<>("target.paused.operator", "pause", t -> t.paused() && t.reason().equals("operator"), Verdict.WARN,
                    t -> "paused by an operator: changes queue until it is resumed",
                    t -> "'resume " + t.id() + "' in agent console when ready"),
            new Rule<>("target.paused", "pause", Target::paused, Verdict.FAIL,
                    t -> "paused" + t.because(),
                    t -> "fix the cause, then 'retry " + t.id() + "' (or 'resume') in agent console"),
            new Rule<>("target.failures", "failures", t -> t.failures() > 0, Verdict.WARN,
                    t -> t.failures() + " path(s) in the failure queue, retry " + t.attempt() + t.nextRetry(),
                    t -> "'failures " + t.id() + "' in agent console shows rsync's error; once fixed, 'retry " + t.id() + "'"),
            new Rule<>("target.retrying", "failures", t -> t.attempt() > 0 && !t.paused(), Verdict.WARN,
                    t -> "retry " + t.attempt() + t.nextRetry(),
                    t -> "'events' in agent console shows the failing runs; 'retry " + t.id() + "' retries now"),
            new Rule<>("target.behind", "lag", t -> !t.paused() && t.oldestPending() >= STALE.toSeconds(), Verdict.WARN,
                    t -> t.json().path("queue_depth").asInt() + " change(s) waiting, the oldest for "
                            + minutes(t.oldestPending()) + "; last success " + t.lastSuccess(),
                    t -> "'events' in agent console shows whether a long sync is running, 'failures " + t.id() + "' any errors"));

    /**
     * An ssh target's connection, shown by status and doctor: the host key that passed at the last handshake (pinned by
     * host_key, or found in known_hosts) and when. A target with no handshake yet says so; nothing here is a problem
     * (a refused key pauses the target: the pause rows above).
     */
    static final List<Rule<Target>> TRANSPORT = List.of(
            new Rule<>("transport.ssh", "transport", t -> text(t.json(), "transport").equals("ssh")
                            && !text(t.json().path("ssh"), "last_handshake").isEmpty(), Verdict.OK,
                    t -> "ssh, host key " + text(t.json().path("ssh"), "host_key") + pinning(t.json().path("ssh"))
                            + ", last handshake " + text(t.json().path("ssh"), "last_handshake") + " ("
                            + t.json().path("ssh").path("handshakes").asLong() + " since the agent started)", t -> ""),
            new Rule<>("transport.ssh.none_yet", "transport", t -> text(t.json(), "transport").equals("ssh"), Verdict.OK,
                    t -> "ssh, no handshake yet; pinned host key(s): " + String.join(", ", strings(t.json().path("ssh").path("pinned"))),
                    t -> ""));

    private static String pinning(JsonNode ssh) {
        List<String> pinned = strings(ssh.path("pinned"));
        return pinned.contains(text(ssh, "host_key")) ? " (pinned by host_key)" : " (from known_hosts)";
    }

    private static List<String> strings(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(v -> out.add(v.asString()));
        return out;
    }

    static List<Finding> of(JsonNode status, JsonNode limits) {
        List<Finding> found = new ArrayList<>(Rule.evaluate(AGENT, new Agent(status, limits), null));
        found.addAll(Rule.evaluate(SIGHUP, text(status.path("agent"), "sighup"), null));
        for (JsonNode watch : status.path("watches")) {
            Watch w = new Watch(watch);
            found.addAll(Rule.evaluate(WATCH, w, "watch " + w.name()));
            for (JsonNode target : watch.path("targets")) {
                Target t = new Target(w.name(), target);
                List<Finding> forTarget = Rule.evaluate(TARGET, t, "replication " + t.id());
                if (forTarget.isEmpty()) {
                    forTarget = List.of(Finding.ok("target.ok", "replication " + t.id(), "last success " + t.lastSuccess()
                            + ", " + target.path("queue_depth").asInt() + " waiting"));
                }
                found.addAll(forTarget);
                found.addAll(Rule.evaluate(TRANSPORT, t, "transport " + t.id()));
            }
        }
        return found;
    }

    private static String minutes(double seconds) {
        return seconds < 7200 ? String.format(Locale.ROOT, "%.0fm", seconds / 60) : String.format(Locale.ROOT, "%.1fh", seconds / 3600);
    }

    /** A field's text; "" for null, missing, or a container. */
    static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isValueNode() && !value.isNull() ? value.asString() : "";
    }

}
