#!/usr/bin/env bash
# `make bench`: replbench with the agent on both watch backends against the anchors lsyncd, the naive inotifywait
# loop and floor, into one results file, then its chart and its table of medians and ratios (report.py).
#   pass "main":   agent-inotify agent-fanotify lsyncd-delay1 naive floor, every workload (delay 1 s)
#   pass "delay0": agent-inotify-delay0 agent-fanotify-delay0 lsyncd-delay0 naive floor, the latency-bound workloads
#   BIGTREE=1:     also the million-file bigtree for agent-inotify agent-fanotify lsyncd-delay1 naive floor
#   SSH=1:         also agent-ssh lsyncd-rsyncssh, every workload (against the main pass's agent over the daemon)
#   HISTORY=1:     also agent-history, every workload (version history on; the main pass's agent-inotify is off)
#   BEFORE=DIR:    the main pass also runs DIR's agent (an older checkout, built) on both backends, as agent-before
#                  and agent-before-fanotify (their state holds only what a359a3c understands), for "no slower than
#                  before"
#   SCALE10=1:     also startup20k --scale 10 (200,000 directories, past a default fs.inotify.max_user_watches):
#                  agent-fanotify, agent-inotify with settings.inotify.ensure: raise (it raises the live limits; the
#                  drop-in goes to the run's scratch, and the host's values are put back after the pass), lsyncd-delay1,
#                  floor
# Arguments go to every pass (e.g. --scale 0.2 --runs 1); a --workload among them replaces each pass's own list.
# The harness is the shared checkout's: ../shared/bench/replbench from the repo root (a sibling shared/ of the
# checkout); REPLBENCH=PATH names another one. It runs through replbench.py, which keeps the target's reserved
# .agent/ out of the comparison.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bench=${REPLBENCH:-$(dirname "$root")/shared/bench/replbench}
if [ ! -f "$bench" ]; then
  echo "bench: no replbench harness at $bench: it belongs in shared/bench/ next to this checkout" \
       "($(dirname "$root")/shared), or set REPLBENCH=/path/to/replbench" >&2
  exit 1
fi
[ -f "$root/agent/target/agent.jar" ] || { echo "bench: $root/agent/target/agent.jar missing: run 'make build'" >&2; exit 1; }
for tool in lsyncd inotifywait gnuplot; do
  command -v "$tool" >/dev/null || {
    echo "bench: $tool is missing: apt-get install -y lsyncd inotify-tools gnuplot-nox (the anchors and the chart)" >&2
    exit 1
  }
done
user_workloads=no
for arg in "$@"; do [ "$arg" = --workload ] || [[ $arg == --workload=* ]] && user_workloads=yes; done
out=${BENCH_OUT:-$here/results/results-$(date -u +%Y-%m-%dT%H%M).txt}
mkdir -p "$(dirname "$out")"
cd "$(dirname "$bench")"  # replbench finds its plugins/ relative to itself

# pass NAME "REPLICATORS" "WORKLOADS" [EXTRA replbench options...]
pass() {
  local name=$1 replicators=$2 workloads=$3 args=()
  shift 3
  for r in $replicators; do
    case $r in
      /*) args+=(--replicator "$r") ;;
      *) if [ -f "$here/$r.sh" ]; then args+=(--replicator "$here/$r.sh"); else args+=(--replicator "$r"); fi ;;
    esac
  done
  if [ $user_workloads = no ]; then for w in $workloads; do args+=(--workload "$w"); done; fi
  echo "bench: pass $name" >&2
  LANG=C.UTF-8 python3 "$here/replbench.py" "$bench" "${args[@]}" --out "$out" "$@"
}
all="latency1 burst10k mkdirrace overflow rename delete bigfile churn startup20k"
before=
if [ -n "${BEFORE:-}" ]; then
  [ -f "$BEFORE/agent/target/agent.jar" ] || { echo "bench: BEFORE=$BEFORE has no built agent/target/agent.jar" >&2; exit 1; }
  BEFORE=$(cd "$BEFORE" && pwd)
  export BEFORE
  before="agent-before agent-before-fanotify"
fi
pass main "agent-inotify agent-fanotify $before lsyncd-delay1 naive floor" "$all" "$@"
pass delay0 "agent-inotify-delay0 agent-fanotify-delay0 lsyncd-delay0 naive floor" "latency1 mkdirrace delete" "$@"
if [ "${BIGTREE:-0}" = 1 ]; then
  # naive re-sends the whole million-file tree on every event; making the tree takes about a minute per run
  pass bigtree "agent-inotify agent-fanotify lsyncd-delay1 naive floor" bigtree --timeout 1800 "$@"
fi
if [ "${SSH:-0}" = 1 ]; then
  pass ssh "agent-ssh lsyncd-rsyncssh" "$all" "$@"
fi
if [ "${HISTORY:-0}" = 1 ]; then
  pass history "agent-history" "$all" "$@"
fi
if [ "${SCALE10:-0}" = 1 ]; then
  export AGENT_INOTIFY_ENSURE=raise
  # the agent raises the live inotify limits the tree needs; the host gets its own values back after the pass
  limits=$(sysctl -n fs.inotify.max_user_watches fs.inotify.max_user_instances fs.inotify.max_queued_events | tr '\n' ' ')
  restore_limits() {
    read -r watches instances queued <<<"$limits"
    sysctl -q -w fs.inotify.max_user_watches="$watches" fs.inotify.max_user_instances="$instances" \
      fs.inotify.max_queued_events="$queued" || true
  }
  trap restore_limits EXIT
  pass scale10 "agent-fanotify agent-inotify lsyncd-delay1 floor" startup20k "$@" --scale 10 --timeout 1800 --ready-timeout 900
fi
python3 "$here/report.py" "$out"
echo "results: $out (chart ${out%.txt}.png, table ${out%.txt}.md)"
