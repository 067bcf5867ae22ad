"""Processes as /proc shows them: parents, descendants, members of a network namespace; killing by PID."""
import os
import signal


def pids():
    return [int(p) for p in os.listdir("/proc") if p.isdigit()]


def parent_map():
    """{pid: parent pid} of every process, read in one pass over /proc."""
    out = {}
    for pid in pids():
        try:
            with open("/proc/%d/stat" % pid, "rb") as f:
                out[pid] = int(f.read().rsplit(b")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            pass  # gone meanwhile
    return out


def descendants(pid, parents=None):
    """pid and every process below it."""
    parents = parent_map() if parents is None else parents
    children = {}
    for p, pp in parents.items():
        children.setdefault(pp, []).append(p)
    out, todo = set(), [pid]
    while todo:
        p = todo.pop()
        if p not in out:
            out.add(p)
            todo.extend(children.get(p, ()))
    return out


def netns(pid):
    """The network namespace of pid (as its /proc link reads), or None when it is gone."""
    try:
        return os.readlink("/proc/%d/ns/net" % pid)
    except OSError:
        return None


def members(ns):
    """The processes inside network namespace ns: only what this suite started enters its namespaces."""
    return [p for p in pids() if netns(p) == ns]


def signal_pid(pid, sig):
    try:
        os.kill(pid, sig)
        return True
    except ProcessLookupError:
        return False


def kill_tree(pid, sig=signal.SIGKILL):
    """pid and its descendants, all found before the first signal (an orphan is re-parented out of reach)."""
    for p in descendants(pid):
        signal_pid(p, sig)
