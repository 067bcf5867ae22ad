#!/usr/bin/python
# -*- coding: utf-8 -*-
"""Converge a host with the agent and report the plan as the change."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: agent_converge
short_description: Converge a host to its agent state, reporting the agent's plan as the change
description:
  - Runs C(agent plan --detailed-exitcode) and, when the plan is not empty (exit code 2), C(agent apply --auto-approve).
  - The task is changed exactly when the plan was not empty; the plan text is the diff shown under C(--diff).
  - In check mode the plan is made from C(content) on standard input (C(agent plan -)), the state the role would
    write, not the file on disk; nothing is applied.
  - Secrets never appear in the result. The agent prints them as C((sensitive)); the values of C(environment) and
    C(mask) are also scrubbed from everything the module returns.
options:
  agent:
    description: Path of the agent launcher on the managed host.
    type: path
    required: true
  state_file:
    description: The state file to converge to.
    type: path
    required: true
  content:
    description: The content the role writes to C(state_file); planned on standard input in check mode.
    type: str
  root:
    description: Re-root every absolute path of the state under this directory (C(--root)).
    type: path
  mode:
    description:
      - C(converge-only) converges and leaves replication to the long-lived service.
      - C(once) also converges, then runs the initial sync of every watch and exits (C(apply --once)); the sync
        runs on every play, also when the plan is empty, and does not count as a change.
    type: str
    choices: [converge-only, once]
    default: converge-only
  environment:
    description: "Environment of the agent's processes, for C({env: NAME}) secrets of the state."
    type: dict
    default: {}
  mask:
    description: Secret values to scrub from the result, in addition to C(environment)'s values.
    type: list
    elements: str
    default: []
author: replagent
"""

RETURN = r"""
plan:
  description: The agent's plan, secrets shown as C((sensitive)).
  type: str
  returned: always
summary:
  description: The plan's last line (what apply would change).
  type: str
  returned: always
apply_output:
  description: What C(agent apply) printed, when it ran.
  type: str
  returned: when apply ran
apply_log:
  description: What C(agent apply) logged on standard error (warnings, the initial sync's log in mode once).
  type: str
  returned: when apply ran
version:
  description: The agent's version, as C(agent version) prints it.
  type: str
  returned: always
ssh_public_keys:
  description:
    - The public halves of the state's C(client.ssh_keys), by private key path (plan's outputs), for a playbook to
      hand to the backup host's C(server.ssh_accounts). Read again after an apply that generated a key.
  type: dict
  returned: always
"""

import json
import os
import re

from ansible.module_utils.basic import AnsibleModule

NO_CHANGES = 0
CHANGES = 2
# The plan's last line counts changes apply will not make on its own, e.g. "..., 1 blocked."
BLOCKED = re.compile(r"\b[1-9][0-9]* blocked")
# The plan's outputs block (after the summary): "  ssh_key[/etc/agent/id_ed25519] = ssh-ed25519 AAAA... comment"
OUTPUTS = "\nOutputs:\n"
SSH_KEY_OUTPUT = re.compile(r"^  ssh_key\[(.+)\] = (.+)$")
KNOWN_AFTER_APPLY = "(known after apply)"


def ssh_public_keys(outputs_text):
    keys = {}
    for line in outputs_text.splitlines():
        m = SSH_KEY_OUTPUT.match(line)
        if m:
            keys[m.group(1)] = m.group(2)
    return keys


def ssh_public_keys_json(plan_json):
    keys = {}
    for line in plan_json.splitlines():
        try:
            message = json.loads(line)
        except ValueError:
            continue
        if message.get("type") == "outputs":
            for name, output in message.get("outputs", {}).items():
                m = re.match(r"^ssh_key\[(.+)\]$", name)
                if m:
                    keys[m.group(1)] = output.get("value")
    return keys


def main():
    module = AnsibleModule(
        argument_spec=dict(
            agent=dict(type="path", required=True),
            state_file=dict(type="path", required=True),
            content=dict(type="str", no_log=True),
            root=dict(type="path"),
            mode=dict(type="str", choices=["converge-only", "once"], default="converge-only"),
            environment=dict(type="dict", default={}, no_log=True),
            mask=dict(type="list", elements="str", default=[], no_log=True),
        ),
        supports_check_mode=True,
    )
    params = module.params
    agent = params["agent"]
    root = ["--root", params["root"]] if params["root"] else []
    env = dict((str(k), str(v)) for k, v in params["environment"].items())

    if module.check_mode and not os.access(agent, os.X_OK):
        # A first run in check mode: the agent is not installed yet, so everything would be created.
        module.exit_json(changed=True, plan="", summary="agent not installed yet: everything would be created",
                         version="")

    def run(args, data=None):
        return module.run_command([agent] + args, data=data, binary_data=data is not None,
                                  environ_update=env, check_rc=False)

    def fail(what, code, out, err):
        # Never a key 'rc' with a non-zero value in the result: the exit code goes into the message. The output
        # shows what the agent planned and what blocked it.
        module.fail_json(msg="agent %s failed with exit code %d: %s" % (what, code, err.strip() or out.strip()),
                         stdout=out.rstrip("\n"), stderr=err.rstrip("\n"))

    code, out, err = run(["version"])
    if code != 0:
        fail("version", code, out, err)
    version = out.strip()

    if module.check_mode and params["content"] is not None:
        code, plan, err = run(["plan", "-", "--detailed-exitcode"] + root, data=params["content"])
    else:
        code, plan, err = run(["plan", params["state_file"], "--detailed-exitcode"] + root)
    if code not in (NO_CHANGES, CHANGES):
        fail("plan", code, plan, err)
    changed = code == CHANGES
    plan = plan.rstrip("\n")
    body, _, outputs = plan.partition(OUTPUTS)
    lines = [line for line in body.splitlines() if line.strip()]
    keys = ssh_public_keys(outputs)
    result = dict(changed=changed, plan=plan, summary=lines[-1].strip() if lines else "", version=version,
                  ssh_public_keys=keys)
    if module.check_mode and BLOCKED.search(result["summary"]):
        module.warn("apply would refuse this plan: %s (see the changes marked !)" % result["summary"])
    if changed and module._diff:
        result["diff"] = dict(before_header=params["state_file"], after_header="agent plan",
                              prepared=plan + "\n")

    if not module.check_mode and (changed or params["mode"] == "once"):
        flag = "--once" if params["mode"] == "once" else "--converge-only"
        code, out, err = run(["apply", params["state_file"], "--auto-approve", flag] + root)
        if code not in (NO_CHANGES, CHANGES):
            fail("apply", code, out, err)
        result["apply_output"] = out.rstrip("\n")
        result["apply_log"] = err.rstrip("\n")
        if KNOWN_AFTER_APPLY in keys.values():
            code, out, err = run(["plan", params["state_file"], "--json"] + root)
            if code != NO_CHANGES:
                fail("plan --json (after apply)", code, out, err)
            result["ssh_public_keys"] = ssh_public_keys_json(out)

    module.exit_json(**result)


if __name__ == "__main__":
    main()
