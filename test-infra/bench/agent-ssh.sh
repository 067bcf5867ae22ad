# replbench plug-in: the agent pushing over ssh through a loopback sshd of its own, to TARGET_DIR. The key may only
# run rsync there (restrict,command="rrsync -no-lock TARGET_DIR", as the agent's ssh accounts are made), and the
# agent pins the sshd's host key. AGENT_DELAY (default 1s) sets the watch's delay, AGENT_BACKEND the watch backend
# (default inotify: the same as agent-inotify.sh, the daemon run it is compared with; left to auto it would be fanotify,
# whose overflow and startup20k figures differ from inotify's over any transport), as in agent.sh. AGENT_SSH_OPTIONS
# the target's ssh_options as a YAML flow mapping (default none), e.g. '{ Ciphers: aes128-gcm@openssh.com }'.
source "$(dirname "${BASH_SOURCE[0]}")/sshd.sh"
run() {
  local root
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  start_sshd "$(command -v rrsync) -no-lock $TARGET_DIR"
  cat > "$WORK/state.yaml" <<STATE
version: 1
settings:
  state_dir: "$WORK/state"
  status_file: "$WORK/state/status.json"
  control_socket: "$WORK/run/agent.sock"
  watch_backend: ${AGENT_BACKEND:-inotify}
  inotify: { ensure: ${AGENT_INOTIFY_ENSURE:-check}, sysctl_file: "$WORK/90-agent-inotify.conf" }
watches:
  - name: bench
    source: "$SRC"
    targets:
      - url: "ssh://root@127.0.0.1:$SSH_PORT/"
        identity_file: "$SSH_KEY"
        host_key: "$SSH_HOST_KEY"
        ${AGENT_SSH_OPTIONS:+ssh_options: $AGENT_SSH_OPTIONS}
    delay: ${AGENT_DELAY:-1s}
STATE
  exec "$root/agent/bin/agent" apply "$WORK/state.yaml" --auto-approve 2>"$WORK/agent.log"
}
