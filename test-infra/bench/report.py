#!/usr/bin/env python3
"""The picture and the table of a results file: what an operator looks at before reading the RESULT lines.

    test-infra/bench/report.py results/results-DATE.txt     # writes results-DATE.png and results-DATE.md

The chart (gnuplot, pngcairo) has one cluster of bars per workload and one bar per replicator in three panels:
the time to converge (conv_after_end_s; for startup20k the time to be ready, startup_s), the CPU (cpu_s) and, where
measured, the resident memory (rss_mb); time and CPU on a log scale, as they span three orders of magnitude. The
table (Markdown, also printed) has the medians per workload and replicator, and for each agent the ratios to the best
peer at the same delay (lsyncd at that delay, naive) and its CPU over floor's. Standard library only.
"""
import os
import statistics
import subprocess
import sys
import tempfile

ORDER = ["agent", "agent-inotify", "agent-fanotify", "agent-inotify-delay0", "agent-fanotify-delay0",
         "lsyncd-delay1", "lsyncd-delay0", "naive", "floor"]
WORKLOADS = ["latency1", "burst10k", "mkdirrace", "overflow", "rename", "delete", "bigfile", "churn", "startup20k",
             "startup20k×10", "bigtree"]
COLUMNS = ["conv_after_end_s", "cpu_s", "rsync_runs", "startup_s", "rss_mb", "rss_after_mb", "p50_s"]


def parse(path):
    """RESULT lines as dicts, numbers as floats; startup20k at --scale 10 is a workload of its own."""
    out = []
    with open(path) as f:
        for line in f:
            if not line.startswith("RESULT "):
                continue
            r = {}
            for kv in line.split()[1:]:
                k, _, v = kv.partition("=")
                try:
                    r[k] = float(v)
                except ValueError:
                    r[k] = v
            if r.get("workload") == "startup20k" and r.get("scale") == 10:
                r["workload"] = "startup20k×10"
            out.append(r)
    return out


def medians(results):
    """{(workload, replicator): {column: median, "conv": "k/n"}} over the runs of each pair."""
    groups = {}
    for r in results:
        groups.setdefault((r["workload"], r["replicator"]), []).append(r)
    table = {}
    for key, runs in groups.items():
        row = {"conv": f"{sum(1 for r in runs if r.get('converged') == 'yes')}/{len(runs)}"}
        for c in COLUMNS:
            vals = [r[c] for r in runs if isinstance(r.get(c), float) and (c != "conv_after_end_s" or r.get("converged") == "yes")]
            if vals:
                row[c] = statistics.median(vals)
        table[key] = row
    return table


def ordered(names, order):
    return [n for n in order if n in names] + sorted(n for n in names if n not in order)


def time_of(workload, row):
    return row.get("startup_s") if workload.startswith("startup20k") else row.get("conv_after_end_s")


def peers(replicator):
    """The peers an agent is held against: lsyncd at the same delay, and naive (which has no delay)."""
    return ["lsyncd-delay0" if replicator.endswith("-delay0") else "lsyncd-delay1", "naive"]


def ratio(a, b):
    return f"{a / b:.2f}" if a is not None and b else "-"


def markdown(table):
    workloads = ordered({w for w, _ in table}, WORKLOADS)
    lines = ["| workload | replicator | converged | time s | CPU s | rsync runs | RSS MB | time / best peer "
             "| CPU / best peer | CPU / floor |", "|---|---|---|---|---|---|---|---|---|---|"]
    for w in workloads:
        reps = ordered({r for ww, r in table if ww == w}, ORDER)
        for rep in reps:
            row = table[(w, rep)]
            t, cpu = time_of(w, row), row.get("cpu_s")
            cells = [w, rep, row["conv"], fmt(t), fmt(cpu), fmt(row.get("rsync_runs")), fmt(row.get("rss_mb")), "", "", ""]
            if rep.startswith("agent"):
                others = [table[(w, p)] for p in peers(rep) if (w, p) in table]
                times = [time_of(w, o) for o in others if time_of(w, o) is not None]
                cpus = [o["cpu_s"] for o in others if "cpu_s" in o]
                cells[7] = ratio(t, min(times) if times else None)
                cells[8] = ratio(cpu, min(cpus) if cpus else None)
                cells[9] = ratio(cpu, table.get((w, "floor"), {}).get("cpu_s"))
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def fmt(v):
    if v is None:
        return "-"
    return f"{v:.3g}" if v < 100 else f"{v:.0f}"


def chart(table, png):
    workloads = ordered({w for w, _ in table}, WORKLOADS)
    reps = ordered({r for _, r in table}, ORDER)
    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, "data")
        with open(data, "w") as f:
            for panel in ("time", "cpu", "rss"):
                f.write(f"# {panel}: workload " + " ".join(reps) + "\n")
                for w in workloads:
                    if panel == "rss" and not any("rss_mb" in table.get((w, rep), {}) for rep in reps):
                        continue
                    vals = []
                    for rep in reps:
                        row = table.get((w, rep), {})
                        v = time_of(w, row) if panel == "time" else row.get("cpu_s") if panel == "cpu" else row.get("rss_mb")
                        vals.append("-" if v is None or (panel != "rss" and v <= 0) else f"{max(v, 0.001):.4g}")
                    label = ("startup20k (ready)" if w == "startup20k" else w)
                    f.write(f'"{label}" ' + " ".join(vals) + "\n")
                f.write("\n\n")
        plot = ", ".join(f"'{data}' index IDX using {i + 2}:xtic(1) title '{rep}'" + (" lc rgb 'gray60'" if rep == "floor" else "")
                         for i, rep in enumerate(reps))
        has_rss = any("rss_mb" in row for row in table.values())
        panels = [("0", "time to converge, s (startup20k: to be ready; log scale)", True),
                  ("1", "CPU of the replicator, s (log scale)", True)]
        if has_rss:
            panels.append(("2", "resident memory, MB (startup20k, bigtree)", False))
        script = [f"set terminal pngcairo size 1400,{330 * len(panels) + 60} font 'sans,10'",
                  f"set output '{png}'",
                  "set datafile missing '-'",
                  "set style data histograms", "set style histogram clustered gap 1",
                  "set style fill solid 0.85 border -1", "set boxwidth 0.9",
                  "set key outside right top vertical", "set grid ytics", "set xtics nomirror scale 0",
                  f"set multiplot layout {len(panels)},1 title 'replbench: the agent beside lsyncd, naive and floor'"]
        for idx, title, log in panels:
            script += ["set logscale y" if log else "unset logscale y", "set yrange [*:*]" if log else "set yrange [0:*]",
                       f"set title '{title}'", "plot " + plot.replace("IDX", idx)]
        script.append("unset multiplot")
        subprocess.run(["gnuplot"], input="\n".join(script) + "\n", text=True, check=True, stderr=subprocess.DEVNULL)


def main(argv):
    if len(argv) != 2:
        sys.exit("usage: report.py RESULTS.txt   (writes RESULTS.png and RESULTS.md)")
    results = parse(argv[1])
    if not results:
        sys.exit(f"report: no RESULT lines in {argv[1]}")
    table = medians(results)
    base = argv[1][:-4] if argv[1].endswith(".txt") else argv[1]
    md = markdown(table)
    with open(base + ".md", "w") as f:
        f.write(f"Medians of {os.path.basename(argv[1])}; time: conv_after_end_s (startup20k: startup_s); ratios below 1: "
                "the agent is ahead.\n\n" + md)
    print(md, end="")
    chart(table, base + ".png")


if __name__ == "__main__":
    main(sys.argv)
