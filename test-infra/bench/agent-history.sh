# replbench plug-in: agent.sh with version history on the target (`history: true`: every push keeps what it replaces
# or deletes under the module's .agent/history/, the journal under .agent/journal/), on inotify with delay 1s as
# agent-inotify.sh, so the two compare history on and off. AGENT_BACKEND and AGENT_DELAY as in agent.sh.
# The comparison must leave the target's top-level .agent/ out (it is not part of the mirror). When the harness stops
# the agent, the history's size (`du -sb` of the target's .agent/history) goes to WORK/history-size.txt (kept by --logs).
AGENT_HISTORY=${AGENT_HISTORY:-true}
AGENT_BACKEND=${AGENT_BACKEND:-inotify}
AGENT_DELAY=${AGENT_DELAY:-1s}
source "$(dirname "${BASH_SOURCE[0]}")/agent.sh"
eval "agent_run() $(declare -f run | tail -n +2)"
run() {
  agent_run &
  local pid=$!
  trap 'wait $pid; du -sb "$TARGET_DIR/.agent/history" >"$WORK/history-size.txt" 2>&1; exit 0' TERM
  wait $pid
}
