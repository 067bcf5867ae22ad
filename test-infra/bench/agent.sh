# replbench plug-in: `agent apply` replicating SRC to the harness's daemon, in the foreground.
# AGENT_DELAY (a duration, default 1s) sets the watch's delay. The state has no server or client role: the harness
# owns the daemon and the password file, so apply converges nothing and goes straight to replicating.
run() {
  local root
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  cat > "$WORK/state.yaml" <<STATE
version: 1
settings:
  state_dir: "$WORK/state"
  status_file: "$WORK/state/status.json"
  control_socket: "$WORK/run/agent.sock"
watches:
  - name: bench
    source: "$SRC"
    targets: [ { url: "$TARGET_URL", password_file: "$PASSFILE" } ]
    delay: ${AGENT_DELAY:-1s}
STATE
  exec "$root/agent/bin/agent" apply "$WORK/state.yaml" --auto-approve 2>"$WORK/agent.log"
}
