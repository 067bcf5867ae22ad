# replbench plug-in: the agent on fanotify, delay 1s (agent.sh does the rest).
AGENT_BACKEND=${AGENT_BACKEND:-fanotify}
AGENT_DELAY=${AGENT_DELAY:-1s}
source "$(dirname "${BASH_SOURCE[0]}")/agent.sh"
