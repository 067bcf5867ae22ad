#!/usr/bin/env bash
# The Ansible role's tests, with a real ansible-playbook against this machine (run as root): the tutorial's backup
# server (rsync-41) and source (nfs-31) as two hosts re-rooted in a scratch directory, the rsync daemon on
# 127.0.0.1 at a free port.
#   0. the Terraform example: its templates, rendered as templatefile() would, give valid states and user-data
#   1. the role's filters (table tests), ansible-lint --profile production
#   2. --check on fresh hosts: changed, nothing touched; then the first run converges both hosts and a file in
#      the source reaches the backup; the source's generated ssh key is in its local facts
#   3. second run: changed=0, and a new file still reaches the backup (mode once syncs on every play); a hand
#      edit of rsyncd.conf is changed on that host only, and undone; the systemd unit passes systemd-analyze
#      verify and its ExecStart, run by hand, replicates a live change
#   4. --check --diff -vvv with a changed password: changed, the plan shown, the password nowhere, nothing touched
#   5. a bad state variable fails at validation and leaves the state files byte-identical
# Needs: ansible-core, ansible-lint, rsync, java, and agent/target/agent.jar (built when missing).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
work=$here/.work
scratch=$work/hosts
logs=$work/logs

fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "ok: $*"; }

test "$(id -u)" = 0 || fail "run as root (the role installs packages and the agent creates users)"
[ -f "$repo/agent/target/agent.jar" ] || make -C "$repo" --no-print-directory build

# A unique daemon user (the agent creates it; it is removed at the end) and a random password to grep for.
user=agt_t$$
! id "$user" >/dev/null 2>&1 || fail "user $user exists already"
password=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 20)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

cleanup() {
  local pidfile=$scratch/rsync-41/run/rsyncd.pid
  if [ -f "$pidfile" ]; then
    local pid; pid=$(cat "$pidfile")
    if [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = rsync ]; then
      kill "$pid"
      for _ in $(seq 50); do [ -d "/proc/$pid" ] || break; sleep 0.1; done
    fi
  fi
  if id "$user" >/dev/null 2>&1; then userdel "$user"; fi
  # the logs stay for reading (they hold no secret: the last test checks it); everything else goes
  find "$work" -mindepth 1 -maxdepth 1 ! -name logs -exec rm -rf {} +
}
rm -rf "$work"
trap cleanup EXIT
mkdir -p "$work"/{home,tmp,remote,cache,roles} "$logs" "$scratch"
ln -s "$repo/ansible-role" "$work/roles/agent"   # the role is used under its name, agent

# Hermetic: Ansible's own files stay inside the scratch directory.
export ANSIBLE_HOME=$work/home ANSIBLE_LOCAL_TEMP=$work/tmp ANSIBLE_REMOTE_TEMP=$work/remote XDG_CACHE_HOME=$work/cache
export ANSIBLE_CONFIG=$here/ansible.cfg ANSIBLE_ROLES_PATH=$work/roles ANSIBLE_NOCOLOR=1 ANSIBLE_FORCE_COLOR=0
export LANG=C.UTF-8 LC_ALL=C.UTF-8

cat >"$work/vars.json" <<EOF
{"agent_test_scratch": "$scratch", "agent_test_port": $port, "agent_test_user": "$user",
 "agent_test_password": "$password", "agent_test_delay": "1s"}
EOF

# play NAME [ARGS…]: runs the playbook, log in $logs/NAME.log; its exit code in $play_rc
play() {
  local name=$1; shift
  set +e
  (cd "$here" && ansible-playbook -i inventory.yml site.yml -e "@$work/vars.json" "$@") >"$logs/$name.log" 2>&1
  play_rc=$?
  set -e
  echo "--- $name: ansible-playbook exit $play_rc"
  grep -E '^(rsync-41|nfs-31) +:' "$logs/$name.log" || true
}
# recap NAME HOST FIELD: a number from the recap line
recap() { grep -E "^$2 +:" "$logs/$1.log" | grep -oE "$3=[0-9]+" | cut -d= -f2; }
show() { echo "----- $logs/$1.log" >&2; cat "$logs/$1.log" >&2; }
# snapshot: path, mode, size and content hash of every file under the hosts (what "changes nothing" compares),
# except the daemon's log: plan's probe of the daemon is a connection the daemon logs.
snapshot() {
  (cd "$scratch" && find . ! -path ./rsync-41/var/log/rsyncd.log -printf '%p %m %s %u\n' | sort \
    && find . -type f ! -path ./rsync-41/var/log/rsyncd.log -print0 | sort -z | xargs -0 sha256sum)
}

echo "=== Terraform example: rendered states validate, the user-data carries them"
"$repo/examples/terraform/render.py" "$repo/examples/terraform/example.tfvars.json" "$work/terraform"
"$repo/agent/bin/agent" validate "$work"/terraform/*.state.yaml >"$logs/terraform.log" 2>&1 || { show terraform; fail "rendered states"; }
/usr/bin/python3 - "$work/terraform" <<'EOF' || fail "rendered cloud-init user-data"
import base64, sys, yaml
out = sys.argv[1]
for host in ("backup", "source"):
    text = open("%s/%s.user-data" % (out, host), encoding="utf-8").read()
    assert text.startswith("#cloud-config\n"), host
    doc = yaml.safe_load(text)
    files = {f["path"]: f for f in doc["write_files"]}
    state = files["/etc/agent/state.yaml"]
    assert state["permissions"] == "0600", state
    assert base64.b64decode(state["content"]).decode() == open("%s/%s.state.yaml" % (out, host), encoding="utf-8").read()
    assert ["/usr/local/bin/agent", "apply", "/etc/agent/state.yaml", "--auto-approve", "--once"] in doc["runcmd"], doc["runcmd"]
EOF
pass "Terraform example renders valid states into cloud-init user-data"

echo "=== the role's defaults agree with its argument spec"
/usr/bin/python3 "$here/test_defaults.py" >"$logs/defaults.log" 2>&1 || { show defaults; fail "defaults"; }
pass "defaults/main.yml and meta/argument_specs.yml agree; agent_state and agent_environment are no_log"

echo "=== the role's filters (table tests against the agent's schema)"
"$repo/agent/bin/agent" schema >"$work/schema.json"
/usr/bin/python3 "$here/test_filters.py" "$work/schema.json" >"$logs/filters.log" 2>&1 || { show filters; fail "filters"; }
pass "filters: templated scalars typed by the schema, literal secrets found"

echo "=== ansible-lint --profile production"
(cd "$work/roles/agent" && ansible-lint --profile production --offline . && cd "$here" && ansible-lint --profile production --offline site.yml \
  && ansible-doc -M "$repo/ansible-role/library" agent_converge >/dev/null) \
  >"$logs/lint.log" 2>&1 || { show lint; fail "ansible-lint"; }
pass "ansible-lint --profile production (the role and the test playbook); the module's documentation parses"

echo "=== check mode before anything is installed"
mkdir -p "$scratch/nfs-31/data/sub dir"
echo "written before the first run" >"$scratch/nfs-31/data/sub dir/first.txt"
before=$(snapshot)
play fresh-check --check --diff
[ "$play_rc" = 0 ] || { show fresh-check; fail "check mode on fresh hosts exited $play_rc"; }
for host in rsync-41 nfs-31; do
  [ "$(recap fresh-check $host changed)" -gt 0 ] || { show fresh-check; fail "fresh check run does not report changed on $host"; }
done
[ "$before" = "$(snapshot)" ] || { diff <(echo "$before") <(snapshot) >&2 || true; fail "check mode changed files on fresh hosts"; }
pass "check mode on fresh hosts reports changed and changes nothing"

echo "=== first run: converge both hosts, replicate once"
play first -v
[ "$play_rc" = 0 ] || { show first; fail "first run exited $play_rc"; }
for host in rsync-41 nfs-31; do
  [ "$(recap first $host failed)" = 0 ] && [ "$(recap first $host changed)" -gt 0 ] || { show first; fail "first run recap of $host"; }
done
cmp "$scratch/nfs-31/data/sub dir/first.txt" "$scratch/rsync-41/backup/sub dir/first.txt" || fail "first.txt did not reach the backup"
pass "first run converged both hosts; first.txt replicated"
for host in rsync-41 nfs-31; do
  [ "$(stat -c %a "$scratch/$host/etc/agent/state.yaml")" = 600 ] || fail "$host state file is not 0600"
  python3 - "$scratch/$host/etc/ansible/facts.d/agent.fact" <<'EOF' || fail "$host local facts"
import json, sys
fact = json.load(open(sys.argv[1]))
assert fact["version"] and len(fact["state_sha256"]) == 64 and fact["last_apply"]["result"] == "changed", fact
EOF
done
[ "$(sha256sum <"$scratch/rsync-41/etc/agent/state.yaml" | cut -d' ' -f1)" = \
  "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["state_sha256"])' "$scratch/rsync-41/etc/ansible/facts.d/agent.fact")" ] \
  || fail "the fact's state hash is not the state file's"
python3 - "$scratch/nfs-31/etc/ansible/facts.d/agent.fact" "$scratch/nfs-31/etc/agent/id_ed25519" <<'EOF' || fail "nfs-31's ssh key in its facts"
import json, os, sys
fact, key = json.load(open(sys.argv[1])), sys.argv[2]
assert oct(os.stat(key).st_mode & 0o777) == "0o600", "private key mode"
public = open(key + ".pub").read().split()
assert fact["ssh_public_keys"] == {key: " ".join(public)}, fact["ssh_public_keys"]
EOF
pass "state files 0600; local facts hold version, state hash, last apply, and the generated ssh key's public half"

echo "=== second run: idempotent"
echo "written between runs" >"$scratch/nfs-31/data/second.txt"
play second -v
[ "$play_rc" = 0 ] || { show second; fail "second run exited $play_rc"; }
for host in rsync-41 nfs-31; do
  [ "$(recap second $host changed)" = 0 ] && [ "$(recap second $host failed)" = 0 ] || { show second; fail "second run is not changed=0 on $host"; }
done
cmp "$scratch/nfs-31/data/second.txt" "$scratch/rsync-41/backup/second.txt" || fail "second.txt did not reach the backup"
pass "second run changed=0 on both hosts; second.txt replicated"

echo "=== drift: a hand edit on the backup server, the variables unchanged"
echo "# edited by hand" >>"$scratch/rsync-41/etc/rsyncd.conf"
play drift
[ "$play_rc" = 0 ] || { show drift; fail "drift run exited $play_rc"; }
[ "$(recap drift rsync-41 changed)" -gt 0 ] && [ "$(recap drift nfs-31 changed)" = 0 ] || { show drift; fail "drift recap"; }
! grep -q 'edited by hand' "$scratch/rsync-41/etc/rsyncd.conf" || fail "the hand edit survived"
pass "drift is planned, reported as changed on its host only, and undone"

echo "=== the systemd unit: verified, and its command run by hand replicates live"
# No systemd here (PID 1 is not systemd): the unit is rendered for nfs-31 as the role would, checked with
# systemd-analyze, and its ExecStart run with its environment file, the way systemd would start it.
host=$scratch/nfs-31
unit_vars='{"agent_bin": "'$host'/usr/local/bin/agent", "agent_state_file": "'$host'/etc/agent/state.yaml",
            "agent_root": "'$host'", "agent_environment_file": "'$host'/etc/agent/agent.env", "agent_java_opts": "-Xmx128m"}'
mkdir -p "$work/units/agent.service.d"
cp "$repo/packaging/agent.service" "$work/units/agent.service"
ansible localhost -c local -i localhost, -m ansible.builtin.template -e "$unit_vars" \
  -a "src=$repo/ansible-role/templates/agent.dropin.conf.j2 dest=$work/units/agent.service.d/ansible.conf mode=0644" \
  >"$logs/unit.log" 2>&1 || { show unit; fail "rendering the unit's drop-in"; }
if command -v systemd-analyze >/dev/null; then
  SYSTEMD_UNIT_PATH="$work/units:" systemd-analyze verify "$work/units/agent.service" >>"$logs/unit.log" 2>&1 \
    || { show unit; fail "systemd-analyze verify"; }
else
  echo "skip: systemd-analyze is not installed"
fi
grep -qx 'Restart=on-failure' "$work/units/agent.service" && grep -qx 'Environment=LANG=C.UTF-8' "$work/units/agent.service" \
  || fail "the unit lacks Restart=on-failure or LANG=C.UTF-8"
exec_start=$(sed -n 's/^ExecStart=\(..*\)/\1/p' "$work/units/agent.service.d/ansible.conf")
# shellcheck disable=SC2086 # ExecStart is split into words, as systemd does
(set -a; . "$host/etc/agent/agent.env"; set +a; export LANG=C.UTF-8; exec $exec_start) >"$logs/service.log" 2>&1 &
service_pid=$!
for _ in $(seq 300); do grep -q '^agent: replicating' "$logs/service.log" && break; sleep 0.1; done
grep -q '^agent: replicating' "$logs/service.log" || { kill -TERM "$service_pid"; show service; fail "the agent did not start replicating"; }
echo "written while the agent runs" >"$host/data/live.txt"
for _ in $(seq 300); do [ -f "$scratch/rsync-41/backup/live.txt" ] && break; sleep 0.1; done
kill -TERM "$service_pid"; wait "$service_pid" || true
cmp "$host/data/live.txt" "$scratch/rsync-41/backup/live.txt" || { show service; fail "live.txt did not reach the backup within 30 s"; }
pass "the unit with the role's drop-in passes systemd-analyze verify; its ExecStart replicates a live change"

echo "=== check mode with a changed password"
new_password=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 20)
before=$(snapshot)
play check --check --diff -vvv -e "agent_test_password=$new_password"
[ "$play_rc" = 0 ] || { show check; fail "check run exited $play_rc"; }
for host in rsync-41 nfs-31; do
  [ "$(recap check $host changed)" -gt 0 ] || { show check; fail "check run does not report changed on $host"; }
done
grep -q '(sensitive)' "$logs/check.log" || { show check; fail "the diff does not show the plan with masked secrets"; }
[ "$before" = "$(snapshot)" ] || { diff <(echo "$before") <(snapshot) >&2 || true; fail "check mode changed files"; }
pass "check mode reports changed, shows the plan, changes nothing"

echo "=== a bad state variable"
state_sums=$(sha256sum "$scratch"/*/etc/agent/state.yaml)
play bad -e agent_test_port=not-a-port
[ "$play_rc" != 0 ] || { show bad; fail "a bad state did not fail the play"; }
grep -q 'Write the state file' "$logs/bad.log" && grep -q 'failed to validate' "$logs/bad.log" \
  || { show bad; fail "the bad state did not fail at validation"; }
[ "$state_sums" = "$(sha256sum "$scratch"/*/etc/agent/state.yaml)" ] || fail "a bad state replaced the state file"
pass "a bad state fails at validation; state files byte-identical"

for secret in "$password" "$new_password"; do
  ! grep -rqF -- "$secret" "$logs" || { grep -rnF -- "$secret" "$logs" >&2; fail "a password appears in the output"; }
done
pass "no password in any output (-v, -vvv, --diff)"
echo "ansible role: all tests passed"
