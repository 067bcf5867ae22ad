#!/usr/bin/env bash
# Wall time of `agent plan` and `agent apply --converge-only` for the tutorial's backup host (user, /data,
# secrets file, rsyncd.conf, daemon on 127.0.0.1, client password file), re-rooted in a scratch directory.
# Five runs each, median printed. Needs root, rsync and a built jar (make build). Cleans up after itself.
set -euo pipefail
cd "$(dirname "$0")/../.."
agent=${AGENT:-agent/bin/agent}
scratch=$(mktemp -d /tmp/agent-converge-bench.XXXXXX)
user=agb$(head -c 4 /dev/urandom | od -An -tx1 | tr -d ' \n')
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
root=$scratch/root
state=$scratch/backup-server.yaml
export RSYNC_BACKUP_PASSWORD=bench-$RANDOM
cat > "$state" <<YAML
version: 1
server:
  port: $port
  address: 127.0.0.1
  run_as: $user
  users:
    - { name: rsync_backup, password: { env: RSYNC_BACKUP_PASSWORD } }
  modules:
    - { name: data, path: /data, auth_users: [rsync_backup], hosts_allow: [127.0.0.1] }
  daemon: { manage: process }
client:
  password_files:
    - { path: /etc/rsync.passwd, password: { env: RSYNC_BACKUP_PASSWORD } }
YAML

reset() { # stop the daemon (by its pid file), remove the user and the scratch root: the next run starts from nothing
  local pidfile=$root/run/rsyncd-agent.pid
  if [ -f "$pidfile" ]; then kill "$(cat "$pidfile")" 2>/dev/null || true; while [ -e "$pidfile" ]; do sleep 0.05; done; fi
  userdel "$user" 2>/dev/null || true
  rm -rf "$root"
}
trap 'reset; rm -rf "$scratch"' EXIT
ms() { local start=$(date +%s%N); "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }; echo $(( ($(date +%s%N) - start) / 1000000 )); }
five() { # five() LABEL FRESH(yes|no) COMMAND...: five timed runs, each from nothing when FRESH
  local label=$1 fresh=$2 runs=(); shift 2
  for _ in 1 2 3 4 5; do [ "$fresh" = yes ] && reset; runs+=("$(ms "$@")"); done
  printf '%-32s %s ms   median %s ms\n' "$label" "${runs[*]}" "$(printf '%s\n' "${runs[@]}" | sort -n | sed -n 3p)"
}
five "plan (nothing converged yet)" yes "$agent" plan "$state" --root "$root"
five "apply (first: everything)" yes "$agent" apply "$state" --root "$root" --auto-approve --converge-only
five "plan (converged)" no "$agent" plan "$state" --root "$root"
five "apply (second: no changes)" no "$agent" apply "$state" --root "$root" --auto-approve --converge-only
