# replbench plug-in: the agent replicating SRC to the harness's daemon, in the foreground.
# AGENT_DELAY (seconds, default 1) sets the watch's delay. Until `agent apply` is wired, this runs the
# replicate package's Standalone main; switching means replacing the exec line with
#   exec "$root/agent/bin/agent" apply "$WORK/state.yaml"   (with a state file written here).
run() {
  local root
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  exec java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k -Xms16m -Xmx256m \
    -Dfile.encoding=UTF-8 -Dsun.jnu.encoding=UTF-8 -cp "$root/agent/target/agent.jar" \
    io.replagent.replicate.Standalone "$SRC" "$TARGET_URL" "$PASSFILE" "${AGENT_DELAY:-1}" "$WORK/state" \
    2>"$WORK/agent.log"
}
