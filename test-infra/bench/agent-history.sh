# replbench plug-in: agent.sh with version history on the target (`history: true`: every push keeps what it replaces
# or deletes under the module's .agent/history/, the journal under .agent/journal/). AGENT_DELAY as in agent.sh.
# The comparison must leave the target's top-level .agent/ out (it is not part of the mirror).
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
    targets: [ { url: "$TARGET_URL", password_file: "$PASSFILE", history: true } ]
    delay: ${AGENT_DELAY:-1s}
STATE
  exec "$root/agent/bin/agent" apply "$WORK/state.yaml" --auto-approve 2>"$WORK/agent.log"
}
