# replbench plug-in: the agent of an older checkout for "no slower than before": BEFORE=DIR (a built checkout), on
# AGENT_BACKEND (default inotify; agent-before-fanotify.sh sets fanotify), delay AGENT_DELAY (default 1s). The state
# holds only what a359a3c (main before the replication-core work) understands: its own agent.sh's plus watch_backend.
run() {
  [ -f "${BEFORE:-}/agent/bin/agent" ] || { echo "agent-before: BEFORE=DIR must name a built checkout" >&2; exit 1; }
  cat > "$WORK/state.yaml" <<STATE
version: 1
settings:
  state_dir: "$WORK/state"
  status_file: "$WORK/state/status.json"
  control_socket: "$WORK/run/agent.sock"
  watch_backend: ${AGENT_BACKEND:-inotify}
watches:
  - name: bench
    source: "$SRC"
    targets: [ { url: "$TARGET_URL", password_file: "$PASSFILE" } ]
    delay: ${AGENT_DELAY:-1s}
STATE
  exec "$BEFORE/agent/bin/agent" apply "$WORK/state.yaml" --auto-approve 2>"$WORK/agent.log"
}
