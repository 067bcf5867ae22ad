#!/usr/bin/env python3
"""Where a replicator's memory goes at startup20k: replbench's tree, daemon and readiness, then the figures.

Builds the startup20k tree (replbench's pre_startup, --scale as there), starts a fresh rsync daemon and the plug-in
the way replbench does, waits for the sentinel round trip, and records, right after readiness (replbench's rss_mb
moment) and again after --settle seconds: the session's summed RSS, each member's RSS, and /proc/PID/smaps_rollup.
For a JVM (the session member whose comm is java) it then adds `jcmd PID VM.native_memory summary` (when the plug-in
ran the JVM with -XX:NativeMemoryTracking=summary, e.g. AGENT_JAVA_OPTS), GC.heap_info, GC.class_histogram (which
runs a full GC, so it comes last), the thread count, and the biggest mappings of /proc/PID/smaps. Everything goes to
stdout and to OUT/report.txt. Not a benchmark: one run, for evidence; compare levers in replbench itself.

    AGENT_JAVA_OPTS=-XX:NativeMemoryTracking=summary \\
      test-infra/bench/memprobe.py HARNESS PLUGIN [--scale 1] [--settle 5] [--out DIR]
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import replbench as wrapper  # noqa: E402  (the harness loader: .agent/ is not part of the mirror)


def members(rb, sid):
    out = []
    for m in rb.session_members(sid):
        try:
            with open(f"/proc/{m['pid']}/comm") as f:
                comm = f.read().strip()
        except OSError:
            continue
        out.append((m["pid"], comm, m["rss"] * rb.PAGE / 2 ** 20))
    return out


def read(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError as e:
        return f"({e})\n"


def jcmd(pid, *args):
    p = subprocess.run(["jcmd", str(pid), *args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return p.stdout


def biggest_mappings(pid, n=15):
    """The largest mappings by Rss, with their names (the heap, metaspace, code cache, malloc arenas, libjvm…)."""
    rows, cur = [], None
    for line in read(f"/proc/{pid}/smaps").splitlines():
        parts = line.split()
        if parts and "-" in parts[0] and len(parts) >= 5 and not parts[0].endswith(":"):
            cur = [parts[0], parts[5] if len(parts) > 5 else "[anon]", 0]
            rows.append(cur)
        elif parts and parts[0] == "Rss:" and cur is not None:
            cur[2] = int(parts[1])
    rows.sort(key=lambda r: -r[2])
    total = sum(r[2] for r in rows)
    anon = sum(r[2] for r in rows if r[1] == "[anon]" or r[1].startswith("[heap"))
    lines = [f"{len(rows)} mappings, Rss {total} kB, of it anonymous {anon} kB"]
    lines += [f"{r[2]:>8} kB  {r[0]}  {r[1]}" for r in rows[:n]]
    return "\n".join(lines) + "\n"


def snapshot(rb, sid, label, out):
    ms = members(rb, sid)
    out.append(f"== {label}: session RSS {sum(m[2] for m in ms):.1f} MB")
    for pid, comm, rss in ms:
        out.append(f"   pid {pid} {comm} {rss:.1f} MB")
    return ms


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("harness")
    ap.add_argument("plugin")
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--settle", type=float, default=5.0, help="seconds after readiness for the second snapshot")
    ap.add_argument("--out", default=None, help="directory for report.txt and the agent's log")
    a = ap.parse_args()
    rb = wrapper.patch(wrapper.load(os.path.abspath(a.harness)))
    root = tempfile.mkdtemp(prefix="rb-memprobe-", dir="/tmp")
    out = []
    rep = daemon = None
    try:
        src, work = os.path.join(root, "src"), os.path.join(root, "work")
        os.makedirs(src)
        os.makedirs(work)
        rb.pre_startup(src, rb.Scale(a.scale))
        daemon = rb.Daemon(os.path.join(root, "daemon"), os.getpid())
        env = dict(os.environ, SRC=src, WORK=work, PORT=str(daemon.port), MODULE=rb.MODULE, RUSER=rb.RUSER,
                   PASSFILE=daemon.passfile, TARGET_URL=daemon.url, TARGET_DIR=daemon.target)
        t0 = time.monotonic()
        rep = rb.Replicator(os.path.abspath(a.plugin), env, work)
        if not rb.ready(src, daemon.target, 120, {}):
            sys.exit("memprobe: the replicator did not become ready")
        out.append(f"ready after {time.monotonic() - t0:.2f} s, session CPU {rep.cpu():.2f} s")
        snapshot(rb, rep.sid, "right after readiness", out)
        time.sleep(a.settle)
        ms = snapshot(rb, rep.sid, f"{a.settle:g} s later", out)
        for pid, comm, _ in ms:
            if comm != "java":
                continue
            out.append(f"threads: {len(os.listdir(f'/proc/{pid}/task'))}")
            out.append("-- smaps_rollup\n" + read(f"/proc/{pid}/smaps_rollup"))
            out.append("-- biggest mappings\n" + biggest_mappings(pid))
            out.append("-- VM.native_memory summary\n" + jcmd(pid, "VM.native_memory", "summary"))
            out.append("-- GC.heap_info\n" + jcmd(pid, "GC.heap_info"))
            histogram = jcmd(pid, "GC.class_histogram").splitlines()
            out.append("-- GC.class_histogram (top 25)\n" + "\n".join(histogram[:28] + histogram[-1:]))
            snapshot(rb, rep.sid, "after the histogram's full GC", out)
    finally:
        if rep is not None:
            rep.stop()
        if daemon is not None:
            daemon.stop()
        report = "\n".join(out) + "\n"
        print(report)
        if a.out:
            os.makedirs(a.out, exist_ok=True)
            with open(os.path.join(a.out, "report.txt"), "w") as f:
                f.write(report)
            if os.path.exists(os.path.join(root, "work", "agent.log")):
                shutil.copy(os.path.join(root, "work", "agent.log"), a.out)
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
