"""The report: one row per measured fault, every figure read from the trees or the agent's status."""
from dataclasses import dataclass

from .trees import Kept

HEADER = ("fault", "backend", "injected", "lost / extra / differing", "time to recover (s)", "rsync runs / retries",
          "notes")


@dataclass(frozen=True)
class Row:
    fault: str
    backend: str  # as the agent's status reports it for the watch, "-" where it reports none
    injected: int  # fault injections performed
    convergence: object  # trees.Convergence or trees.Kept, None where the fault does not end with a replica to compare
    runs: str  # status.Counters.since
    notes: str


def cell(value):
    return str(value).replace("\n", " ").replace("|", "\\|")


def recover(c):
    if c is None:
        return "-"
    if isinstance(c, Kept):
        return "kept %.0f s" % c.seconds
    return "%.1f" % c.seconds if c.seconds is not None else "not in %.0f" % c.timeout


def render(rows):
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    for r in rows:
        figures = r.convergence.diff.counts() if r.convergence else "-"
        lines.append("| " + " | ".join(cell(v) for v in (r.fault, r.backend, r.injected, figures,
                                                         recover(r.convergence), r.runs, r.notes)) + " |")
    return "\n".join(lines)
