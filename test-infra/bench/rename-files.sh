#!/usr/bin/env bash
# Renames N files of 1 MiB one by one (mv in their directory) under a running agent that replicates to a local rsync
# daemon, and prints the bytes the agent's rsyncs sent for them (rsync's --stats "Total bytes sent", summed in status).
# Usage: test-infra/bench/rename-files.sh [N] [spread]   (root; `make build` first)
#   spread: "same" writes the files back to back (most share their mtime second), "distinct" gives each its own second.
#   BACKEND=inotify|fanotify|auto (settings.watch_backend, default auto); TARGET=local replicates into a local
#   directory instead of the daemon's module.
set -euo pipefail
n=${1:-1000}; spread=${2:-same}; backend=${BACKEND:-auto}; target=${TARGET:-daemon}
here=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d /tmp/rename-files.XXXXXX)
cleanup() { [ -n "${agent:-}" ] && kill "$agent" 2>/dev/null; [ -f "$work/rsyncd.pid" ] && kill "$(cat "$work/rsyncd.pid")" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
mkdir -p "$work/src/dir" "$work/module" "$work/state"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$work/rsyncd.conf" <<CONF
pid file = $work/rsyncd.pid
use chroot = no
[data]
path = $work/module
read only = no
uid = root
gid = root
CONF
rsync --daemon --config="$work/rsyncd.conf" --port="$port" --address=127.0.0.1
for i in $(seq 1 "$n"); do
  head -c 1048576 /dev/urandom > "$work/src/dir/f$i"
  [ "$spread" = distinct ] && touch -d "@$((1700000000 + i))" "$work/src/dir/f$i"
done
cat > "$work/state.yaml" <<STATE
version: 1
settings: { state_dir: "$work/state", status_file: "$work/state/status.json", control_socket: "$work/agent.sock", watch_backend: $backend }
watches:
  - { name: w, source: "$work/src", targets: [ { name: t, url: "$([ "$target" = local ] && echo "$work/module" || echo "rsync://127.0.0.1:$port/data")" } ], delay: 1s }
STATE
"$here/agent/bin/agent" apply "$work/state.yaml" --auto-approve 2>"$work/agent.log" & agent=$!
sent() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["watches"][0]["targets"][0]["bytes_sent"])' "$work/state/status.json"; }
idle() { python3 -c 'import json,sys; t=json.load(open(sys.argv[1]))["watches"][0]["targets"][0]; sys.exit(0 if t["state"]=="idle" and t["last_success"] else 1)' "$work/state/status.json" 2>/dev/null; }
until idle && [ "$(find "$work/module/dir" -name 'f*' | wc -l)" = "$n" ]; do sleep 0.5; done
before=$(sent)
for i in $(seq 1 "$n"); do mv "$work/src/dir/f$i" "$work/src/dir/renamed-$i"; done
until [ "$(find "$work/module/dir" -name 'renamed-*' | wc -l)" = "$n" ] && [ "$(find "$work/module/dir" -name 'f*' | wc -l)" = 0 ]; do sleep 0.5; done
sleep 2.5; until idle; do sleep 0.5; done
after=$(sent)
data=$((n * 1048576))
echo "renamed $n files of 1 MiB ($spread mtimes, $target target, $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["watches"][0]["backend"])' "$work/state/status.json")): rsync sent $((after - before)) bytes for $data bytes of data" \
     "($(python3 -c "print(round(100*($after-$before)/$data, 2))")%)"
grep -E ' (batch|deletes|checksum) ' "$work/agent.log" | tail -n 6 >&2
