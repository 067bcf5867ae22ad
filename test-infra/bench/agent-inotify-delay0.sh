# replbench plug-in: the agent on inotify, delay 0s (agent.sh does the rest).
AGENT_BACKEND=${AGENT_BACKEND:-inotify}
AGENT_DELAY=${AGENT_DELAY:-0s}
source "$(dirname "${BASH_SOURCE[0]}")/agent.sh"
