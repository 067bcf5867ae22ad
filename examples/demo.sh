#!/usr/bin/env bash
# `make demo`: converge examples/demo.yaml inside a scratch directory (an rsync daemon on 127.0.0.1:18873, a
# module, a password file), start replicating, then change the watched folder and show the backup catching up.
# The agent is left running; the script prints how to look at it and how to stop it.
set -euo pipefail
cd "$(dirname "$0")/.."
agent=agent/bin/agent
scratch=${AGENT_DEMO_DIR:-/tmp/agent-demo}
src=$scratch/srv/source
dst=$scratch/srv/backup

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

if ! command -v rsync >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing rsync (apt-get install -y rsync)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq rsync >/dev/null
  else
    echo "demo: rsync is not installed: apt-get install -y rsync" >&2; exit 1
  fi
fi
if [ "$(id -u)" != 0 ]; then
  echo "demo: run as root (the demo's daemon writes as root and its secrets file must be root-owned)" >&2; exit 1
fi

# A previous demo in the same place: stop its agent and daemon (by their pid files), then start afresh.
for pidfile in "$scratch/agent.pid" "$scratch/run/agent-demo/rsyncd.pid"; do
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    kill "$(cat "$pidfile")"; sleep 0.5
  fi
done
rm -rf "$scratch"
mkdir -p "$src"
export AGENT_DEMO_PASSWORD=${AGENT_DEMO_PASSWORD:-$(head -c 18 /dev/urandom | base64 | tr -d '/+=')}

# Files that exist before the agent starts: the initial sync carries them.
mkdir -p "$src/docs"
echo "written before the agent started" > "$src/docs/before.txt"

say "plan (what apply will change; the password shows as (sensitive))"
$agent plan examples/demo.yaml --root "$scratch" || true

say "apply: converge, then replicate (agent log: $scratch/agent.log)"
$agent apply examples/demo.yaml --root "$scratch" --auto-approve >"$scratch/agent.log" 2>&1 &
echo $! > "$scratch/agent.pid"

# the target's .agent/ (rsync's temp files, the version history) is not part of the mirror
listing() { (cd "$1" && find . -mindepth 1 -path ./.agent -prune -o -printf '%y %s %p\n' | LC_ALL=C sort); }
wait_equal() { # wait until the backup equals the source, say how long it took; with "list", show the backup
  local start deadline=$((SECONDS + 30))
  start=$(date +%s%N)
  until [ "$(listing "$src")" = "$(listing "$dst" 2>/dev/null)" ]; do
    if ! kill -0 "$(cat "$scratch/agent.pid")" 2>/dev/null; then
      echo "demo: the agent stopped; its log:" >&2; cat "$scratch/agent.log" >&2; exit 1
    fi
    if [ $SECONDS -ge $deadline ]; then echo "demo: backup did not catch up in 30 s" >&2; exit 1; fi
    sleep 0.1
  done
  local ms=$(( ($(date +%s%N) - start) / 1000000 ))
  printf '   backup equals source after %d.%03d s\n' $((ms / 1000)) $((ms % 1000))
  if [ "${1:-}" = list ]; then
    listing "$dst" | awk '{ n++ } n <= 12 { print "     " $0 } END { if (n > 12) print "     … " n - 12 " more" }'
  fi
}

wait_equal list
say "write: a file, a name with spaces, a folder of 200 files created at once"
echo "hello from the demo" > "$src/hello.txt"
echo "spaces are fine" > "$src/docs/name with spaces.txt"
mkdir -p "$src/photos" && for i in $(seq 1 200); do echo "photo $i" > "$src/photos/img_$i.jpg"; done
wait_equal
say "rename the folder (the backup reuses its copy instead of sending it again)"
mv "$src/photos" "$src/pictures"
wait_equal
say "delete a file (the backup keeps the deleted copy in its history)"
before_delete=$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)
sleep 0.2
rm "$src/hello.txt"
wait_equal list
say "versions of the deleted file, then restore the tree as it was before the delete"
$agent versions examples/demo.yaml source hello.txt --root "$scratch"
$agent restore examples/demo.yaml source --as-of "$before_delete" --to "$scratch/restored" --root "$scratch"
printf '   restored hello.txt: %s\n' "$(cat "$scratch/restored/hello.txt")"
say "doctor: every health rule, with its cause and fix"
$agent doctor examples/demo.yaml --root "$scratch" || true
say "metrics (Prometheus text on http://127.0.0.1:18974/metrics; a few of them)"
python3 - <<'PY' || true
import urllib.request
text = urllib.request.urlopen("http://127.0.0.1:18974/metrics", timeout=5).read().decode()
wanted = ("agent_target_sent_files", "agent_target_sent_bytes", "agent_target_queued_paths",
          "agent_target_last_success", "agent_target_rsync_runs", "agent_watch_info", "agent_target_history")
for line in text.splitlines():
    if line.startswith(wanted):
        print("   " + line)
PY
say "the agent's last lines"
tail -n 8 "$scratch/agent.log" | sed 's/^/   /'

sock=$scratch/run/agent-demo/agent.sock
cat <<EOT

The agent is still running (pid $(cat "$scratch/agent.pid")) and replicating $src -> $dst.
  change files:   echo hi > $src/new.txt; ls $dst
  status:         $agent status --socket $sock
  doctor:         $agent doctor examples/demo.yaml --root $scratch
  metrics:        python3 -c 'import urllib.request; print(urllib.request.urlopen("http://127.0.0.1:18974/metrics").read().decode())'
  versions:       $agent versions examples/demo.yaml source docs/before.txt --root $scratch
  restore:        $agent restore examples/demo.yaml source --as-of -5m --root $scratch
  console:        $agent console --socket $sock
  log:            tail -f $scratch/agent.log
  stop:           kill $(cat "$scratch/agent.pid")      (the rsync daemon: kill \$(cat $scratch/run/agent-demo/rsyncd.pid))
EOT
