# replbench plug-in: `agent apply` replicating SRC to the harness's daemon, in the foreground.
# AGENT_DELAY (a duration, default 1s) sets the watch's delay, AGENT_BACKEND settings.watch_backend (default auto),
# AGENT_INOTIFY_ENSURE settings.inotify.ensure (default check; raise writes the live limits the tree needs, its drop-in
# goes to WORK, so nothing outlives a reboot). AGENT_HISTORY the target's history (default false). The named plug-ins (agent-inotify.sh, agent-fanotify-delay0.sh, …) set
# these and source this file. The state has no server or client role: the harness owns the daemon and the password
# file, so apply converges nothing (but the inotify limits) and goes straight to replicating.
run() {
  local root
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  cat > "$WORK/state.yaml" <<STATE
version: 1
settings:
  state_dir: "$WORK/state"
  status_file: "$WORK/state/status.json"
  control_socket: "$WORK/run/agent.sock"
  watch_backend: ${AGENT_BACKEND:-auto}
  inotify: { ensure: ${AGENT_INOTIFY_ENSURE:-check}, sysctl_file: "$WORK/90-agent-inotify.conf" }
watches:
  - name: bench
    source: "$SRC"
    targets: [ { url: "$TARGET_URL", password_file: "$PASSFILE", history: ${AGENT_HISTORY:-false} } ]
    delay: ${AGENT_DELAY:-1s}
STATE
  exec "$root/agent/bin/agent" apply "$WORK/state.yaml" --auto-approve 2>"$WORK/agent.log"
}
