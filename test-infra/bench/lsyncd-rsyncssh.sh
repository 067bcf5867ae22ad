# replbench plug-in: lsyncd 2.2.3's default.rsyncssh (Debian's lsyncd) through a loopback sshd of its own, to
# TARGET_DIR: rsync over ssh for changes, `ssh mv` for moves, as lsyncd's tutorial sets it up, but with the host
# key pinned (lsyncd's how-tos turn checking off). maxProcesses 1: rsyncssh allows no other. delay = 1 (LSYNCD_DELAY).
# The account needs a shell (lsyncd runs mv and rm over ssh), so no rrsync restriction here.
source "$(dirname "${BASH_SOURCE[0]}")/sshd.sh"
run() {
  start_sshd
  cat > "$WORK/lsyncd.conf" <<CONF
settings {
    logfile      = "$WORK/lsyncd.log",
    statusFile   = "$WORK/lsyncd.status",
    inotifyMode  = "CloseWrite",
    maxProcesses = 1,
    nodaemon     = true,
}
sync {
    default.rsyncssh,
    source    = "$SRC",
    host      = "root@127.0.0.1",
    targetdir = "$TARGET_DIR",
    delete    = true,
    delay     = ${LSYNCD_DELAY:-1},
    rsync     = { archive = true, compress = true },
    ssh       = {
        port         = $SSH_PORT,
        identityFile = "$SSH_KEY",
        options      = {
            BatchMode             = "yes",
            StrictHostKeyChecking = "yes",
            UserKnownHostsFile    = "$SSH_KNOWN_HOSTS",
            IdentitiesOnly        = "yes",
        },
    },
}
CONF
  exec lsyncd -nodaemon "$WORK/lsyncd.conf"
}
