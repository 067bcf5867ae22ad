# replbench plug-in: agent-inotify.sh plus a sampler that records, every second, the agent's CPU per thread and that
# of its reaped rsync children into WORK/cpu.log (kept with --logs DIR); threadcpu.py splits it. The sampler is a
# fork-free bash loop in the session (its own CPU is a few ms, its RSS ~3 MB: compare cpu_s and rss_mb with plain
# agent-inotify.sh, not with this one).
source "$(dirname "${BASH_SOURCE[0]}")/agent-inotify.sh"
(
  pid=$$ # run execs the agent in this very process
  mkfifo "$WORK/.tick" && exec 9<>"$WORK/.tick"
  while [ -d "/proc/$pid" ]; do
    read -r -t 1 -u 9 _ || true
    out="T $EPOCHREALTIME"
    read -r s < "/proc/$pid/stat" 2>/dev/null && out+=$'\n'"P $s"
    for t in "/proc/$pid"/task/*; do
      read -r s < "$t/stat" 2>/dev/null && out+=$'\n'"$s"
    done
    printf '%s\n' "$out" >> "$WORK/cpu.log"
  done
) &
