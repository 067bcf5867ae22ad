# replbench plug-in: agent-before.sh on fanotify.
AGENT_BACKEND=${AGENT_BACKEND:-fanotify}
source "$(dirname "${BASH_SOURCE[0]}")/agent-before.sh"
