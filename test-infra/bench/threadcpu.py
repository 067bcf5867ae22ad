#!/usr/bin/env python3
"""threadcpu.py CPU_LOG SECONDS: the agent's CPU over the last SECONDS of agent-threadcpu.sh's log, by thread, and
that of its reaped children (the rsync clients). Use the run's total_s as SECONDS (workload start to convergence; the
harness stops the agent right after). Threads that ended inside the window count in the process total only."""
import collections
import sys

CLK = 100  # USER_HZ


def parse(path):
    blocks = []
    for line in open(path):
        line = line.rstrip("\n")
        if line.startswith("T "):
            blocks.append({"t": float(line[2:]), "threads": {}, "proc": None})
        elif not blocks or not line:
            continue
        elif line.startswith("P "):
            blocks[-1]["proc"] = [int(x) for x in line[line.rindex(")") + 2:].split()[11:15]]
        else:
            rest = line[line.rindex(")") + 2:].split()
            comm = line[line.index("(") + 1:line.rindex(")")]
            blocks[-1]["threads"][int(line.split()[0])] = (comm, int(rest[11]) + int(rest[12]))
    return [b for b in blocks if b["proc"]]


def main():
    blocks, window = parse(sys.argv[1]), float(sys.argv[2])
    end = blocks[-1]
    start = min(blocks, key=lambda b: abs(b["t"] - (end["t"] - window)))
    by = collections.Counter()
    for tid, (comm, ticks) in end["threads"].items():
        by[comm.rstrip("0123456789 ") or comm] += ticks - start["threads"].get(tid, (comm, 0))[1]
    pe, ps = end["proc"], start["proc"]
    own, kids = (pe[0] + pe[1]) - (ps[0] + ps[1]), (pe[2] + pe[3]) - (ps[2] + ps[3])
    print(f"window {end['t'] - start['t']:.1f} s: agent {own / CLK:.2f} s (user {(pe[0] - ps[0]) / CLK:.2f}, "
          f"sys {(pe[1] - ps[1]) / CLK:.2f}), its rsync children {kids / CLK:.2f} s (user {(pe[2] - ps[2]) / CLK:.2f}, "
          f"sys {(pe[3] - ps[3]) / CLK:.2f})")
    for name, ticks in by.most_common():
        if ticks:
            print(f"  {ticks / CLK:6.2f} s  {name}")


if __name__ == "__main__":
    main()
