# Sourced by the ssh plug-ins: a throwaway sshd on 127.0.0.1 for one run, started inside the plug-in's run (so it
# is in the replicator's session: counted with it, stopped with it). Key login as root, which owns TARGET_DIR like
# the harness's daemon; keys, host key, config and log live in WORK; the system's sshd and ~/.ssh are not touched.
# start_sshd [FORCED_COMMAND] sets SSH_PORT, SSH_KEY (client private key), SSH_HOST_KEY ("type base64") and
# SSH_KNOWN_HOSTS (a known_hosts file pinning it).
start_sshd() {
  local forced=${1:-} d="$WORK/sshd" line
  mkdir -p "$d" /run/sshd
  chmod 700 "$d"
  ssh-keygen -q -t ed25519 -N '' -C bench-host -f "$d/host_ed25519"
  SSH_KEY="$WORK/id_ed25519"
  ssh-keygen -q -t ed25519 -N '' -C bench-client -f "$SSH_KEY"
  SSH_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  line=$(cat "$SSH_KEY.pub")
  [ -z "$forced" ] || line="restrict,command=\"$forced\" $line"
  printf '%s\n' "$line" > "$d/authorized_keys"
  chmod 600 "$d/authorized_keys"
  # StrictModes no: the keys file is under /tmp (world-writable), not in a home
  cat > "$d/sshd_config" <<CONF
Port $SSH_PORT
ListenAddress 127.0.0.1
HostKey $d/host_ed25519
PidFile $d/sshd.pid
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
AuthorizedKeysFile $d/authorized_keys
StrictModes no
MaxStartups 100:30:200
MaxSessions 64
LogLevel VERBOSE
CONF
  /usr/sbin/sshd -D -f "$d/sshd_config" -E "$d/sshd.log" &
  local i
  for i in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$SSH_PORT") 2>/dev/null && break
    sleep 0.05
  done
  SSH_HOST_KEY=$(cut -d' ' -f1,2 "$d/host_ed25519.pub")
  SSH_KNOWN_HOSTS="$WORK/known_hosts"
  printf '[127.0.0.1]:%s %s\n' "$SSH_PORT" "$SSH_HOST_KEY" > "$SSH_KNOWN_HOSTS"
}
