#!/usr/bin/env python3
"""Start-up time of `agent validate examples/backup-server.yaml` for one or more build trees.

Runs the trees' launchers (agent/bin/agent, with the AppCDS archive `make build` made) interleaved, from each tree's
root, and prints per tree the median wall time and the median CPU time (user + system, from wait4's rusage, so other
load on the machine inflates it less than the wall time). Usage: measure.py [-n RUNS] TREE...
"""
import argparse
import os
import statistics
import subprocess
import time


def run(tree):
    env = dict(os.environ, RSYNC_BACKUP_PASSWORD="x")
    start = time.monotonic()
    proc = subprocess.Popen(["agent/bin/agent", "validate", "examples/backup-server.yaml"], cwd=tree, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{tree}: validate failed")
    return wall * 1000, (usage.ru_utime + usage.ru_stime) * 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=10, help="runs per tree (default 10)")
    parser.add_argument("trees", nargs="+")
    args = parser.parse_args()
    results = {tree: [] for tree in args.trees}
    for _ in range(args.n):
        for tree in args.trees:
            results[tree].append(run(tree))
    with open("/proc/loadavg") as f:
        load = f.read().split()[0]
    for tree, runs in results.items():
        wall = statistics.median(w for w, _ in runs)
        cpu = statistics.median(c for _, c in runs)
        print(f"{tree}: wall median {wall:.0f} ms (min {min(w for w, _ in runs):.0f}), "
              f"cpu median {cpu:.0f} ms (min {min(c for _, c in runs):.0f}), {args.n} runs")
    print(f"load average at the end: {load}")


if __name__ == "__main__":
    main()
