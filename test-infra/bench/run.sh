#!/usr/bin/env bash
# `make bench`: replbench with the agent against the anchors lsyncd-delay1 and floor.
# Arguments go to replbench (e.g. --scale 0.2 --workload burst10k --runs 1); results land in results/.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bench=${REPLBENCH:-$root/../shared/bench/replbench}
[ -x "$bench" ] || bench=/work/shared/bench/replbench
out="$here/results/results-$(date -u +%Y-%m-%dT%H%M).txt"
mkdir -p "$here/results"
cd "$(dirname "$bench")"
command -v lsyncd >/dev/null || { echo "bench: the anchors need lsyncd: apt-get install -y lsyncd inotify-tools" >&2; exit 1; }
LANG=C.UTF-8 "$bench" --replicator "$here/agent.sh" --replicator lsyncd-delay1 --replicator floor --out "$out" "$@"
echo "results: $out"
