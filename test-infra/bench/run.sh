#!/usr/bin/env bash
# `make bench`: replbench with the agent against the anchors lsyncd-delay1, the naive inotifywait loop and floor.
# Arguments go to replbench (e.g. --scale 0.2 --workload burst10k --runs 1); results land in results/.
# The harness is the shared checkout's: ../shared/bench/replbench from the repo root (a sibling shared/ of the
# checkout); REPLBENCH=PATH names another one.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bench=${REPLBENCH:-$(dirname "$root")/shared/bench/replbench}
if [ ! -x "$bench" ]; then
  echo "bench: no replbench harness at $bench: it belongs in shared/bench/ next to this checkout" \
       "($(dirname "$root")/shared), or set REPLBENCH=/path/to/replbench" >&2
  exit 1
fi
[ -f "$root/agent/target/agent.jar" ] || { echo "bench: $root/agent/target/agent.jar missing: run 'make build'" >&2; exit 1; }
for tool in lsyncd inotifywait; do
  command -v "$tool" >/dev/null || { echo "bench: the anchors need $tool: apt-get install -y lsyncd inotify-tools" >&2; exit 1; }
done
out="$here/results/results-$(date -u +%Y-%m-%dT%H%M).txt"
mkdir -p "$here/results"
cd "$(dirname "$bench")"  # replbench finds its plugins/ relative to itself
LANG=C.UTF-8 "$bench" --replicator "$here/agent.sh" --replicator lsyncd-delay1 --replicator naive --replicator floor \
  --out "$out" "$@"
echo "results: $out"
