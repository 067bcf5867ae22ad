"""Reading the agent's status (the control socket's `status` result): pure functions of its JSON."""
from dataclasses import dataclass


def find_target(status, watch):
    """The first target of the watch, with the watch itself under "watch"; AssertionError when there is none."""
    for w in status["watches"]:
        if w["name"] == watch:
            return dict(w["targets"][0], watch=w)
    raise AssertionError("no watch %r in the status (watches: %s)" % (watch, [w["name"] for w in status["watches"]]))


def idle(tg):
    return tg["queue_depth"] == 0 and tg["in_flight"] == 0


def alert_has(tg, *words):
    """The target's alert names one of the words (case-insensitive)."""
    alert = (tg.get("alert") or "").lower()
    return any(w.lower() in alert for w in words)


def paused(tg, reason, *words):
    """Paused for reason (the status's pause_reason, where the agent reports one) with an alert naming one of words."""
    if tg["state"] != "paused" or not alert_has(tg, *words):
        return False
    return "pause_reason" not in tg or tg["pause_reason"] == reason


def pending(tg):
    """Changes the status shows as not sent: queued paths plus the failure queue."""
    return tg["queue_depth"] + tg["failure_count"]


@dataclass(frozen=True)
class Counters:
    """rsync runs and retries of a target, as the agent process pid counts them."""
    pid: int
    runs: int
    retries: int

    @staticmethod
    def of(tg, pid):
        return Counters(pid, tg["rsync_runs"], tg["retries"])

    def since(self, before):
        """"runs / retries" from before to self; counted from the restart when the agent was restarted between."""
        if before.pid != self.pid:
            return "%d / %d since restart" % (self.runs, self.retries)
        return "%d / %d" % (self.runs - before.runs, self.retries - before.retries)
