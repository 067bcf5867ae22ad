# replbench plug-in: agent.sh with version history on the target (`history: true`: every push keeps what it replaces
# or deletes under the module's .agent/history/, the journal under .agent/journal/). AGENT_DELAY as in agent.sh.
# The comparison must leave the target's top-level .agent/ out (it is not part of the mirror).
AGENT_HISTORY=${AGENT_HISTORY:-true}
source "$(dirname "${BASH_SOURCE[0]}")/agent.sh"
