#!/usr/bin/env python3
"""listcost.py [REPS]: the CPU of the sending rsync (the agent's child) for one push of 10,000 new files of 1-4 KB
(burst10k's shape) to a fresh rsync daemon on 127.0.0.1:18791, by the shape of the argv: floor's recursive push
against the agent's list pushes (--files-from=- --from0, as RsyncArgs.list builds them). Medians of REPS (5).
Scratch in /tmp/listcost (removed before and after). Root, rsync; `strace -f -e trace=read` on the list push shows why a list
costs more: rsync reads --files-from one byte per read()."""
import os, random, resource, shutil, socket, subprocess, sys, time, statistics
W = "/tmp/listcost"
PORT = 18791
def tree(src):
    rnd = random.Random(1)
    for d in range(100): os.makedirs(f"{src}/b{d:03d}", exist_ok=True)
    for i in range(10000):
        with open(f"{src}/b{i % 100:03d}/f{i:05d}", "wb") as f: f.write(os.urandom(rnd.randint(1024, 4096)))
def daemon(dst):
    conf = f"{W}/rsyncd.conf"
    open(conf, "w").write(f"port = {PORT}\naddress = 127.0.0.1\nuse chroot = no\n[m]\npath = {dst}\nread only = no\nuid = root\ngid = root\n")
    p = subprocess.Popen(["rsync", "--daemon", "--no-detach", f"--config={conf}"])
    for _ in range(50):
        try: socket.create_connection(("127.0.0.1", PORT)).close(); return p
        except OSError: time.sleep(0.1)
    raise SystemExit("no daemon")
def cpu(argv, stdin=None):
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN); t = time.time()
    subprocess.run(argv, input=stdin, stdout=subprocess.DEVNULL, check=True)
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime), time.time() - t
def main():
    shutil.rmtree(W, ignore_errors=True); os.makedirs(W)
    src, dst = f"{W}/src", f"{W}/dst"; os.makedirs(dst); tree(src)
    files = sorted(f"./b{i % 100:03d}/f{i:05d}" for i in range(10000))
    dirs = [f"./b{d:03d}" for d in range(100)]
    nul = lambda ps: b"".join(p.encode() + b"\0" for p in ps)
    url = f"rsync://127.0.0.1:{PORT}/m/"
    base = ["rsync", "-a", "--stats", "--modify-window=-1"]
    lst = ["--exclude=/.agent", "--temp-dir=/.agent/tmp", "-r", "--from0", "--files-from=-", "--delete", "--delete-missing-args"]
    shapes = {
        "floor: -a src/ (recursive)": (["rsync", "-a", "--delete", src + "/", url], None, 1),
        "agent list of 10k files, --ignore-times": (base + lst[:2] + ["--ignore-times"] + lst[2:] + [src + "/", url], [files], 1),
        "agent list of 10k files, no --ignore-times": (base + lst + [src + "/", url], [files], 1),
        "agent list of 10k files, no --temp-dir": (base + [lst[0], "--ignore-times"] + lst[2:] + [src + "/", url], [files], 1),
        "agent list of the 100 directories": (base + lst[:2] + ["--ignore-times"] + lst[2:] + [src + "/", url], [dirs], 1),
        "agent list, 5 rsyncs of 2,000 files": (base + lst[:2] + ["--ignore-times"] + lst[2:] + [src + "/", url],
                                                 [files[i:i + 2000] for i in range(0, 10000, 2000)], 5),
    }
    p = daemon(dst)
    try:
        res = {k: [] for k in shapes}
        for rep in range(int(sys.argv[1]) if len(sys.argv) > 1 else 5):
            for name, (argv, lists, _) in shapes.items():
                shutil.rmtree(dst); os.makedirs(f"{dst}/.agent/tmp")
                c = w = 0
                for l in (lists or [None]):
                    dc, dw = cpu(argv, nul(l) if l is not None else None); c += dc; w += dw
                res[name].append((c, w))
        for name, v in res.items():
            print(f"{name:45s} client CPU s median {statistics.median(x[0] for x in v):.3f}  wall {statistics.median(x[1] for x in v):.3f}  (n={len(v)})")
    finally:
        p.terminate(); p.wait()
        shutil.rmtree(W, ignore_errors=True)
main()
