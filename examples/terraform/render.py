#!/usr/bin/env python3
"""Renders main.tf's templates without Terraform, as templatefile() would, for the tests.

Only what these templates use is supported: ${name} interpolation and the $${ escape. Anything else (directives,
function calls) is refused, so a template that grows beyond this renderer fails loudly instead of rendering wrong.
The locals below mirror main.tf's.

usage: render.py VARS.json OUTDIR   writes backup.state.yaml, source.state.yaml, backup.user-data, source.user-data
"""
import base64
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TOKEN = re.compile(r"\$\$\{|%\{|\$\{([^}]*)\}")


def templatefile(name, variables):
    text = open(os.path.join(HERE, name), encoding="utf-8").read()

    def substitute(match):
        if match.group(0) == "$${":
            return "${"
        expression = match.group(1)
        if expression is None or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", expression.strip()):
            raise SystemExit("%s: unsupported template syntax %r" % (name, match.group(0)))
        if expression.strip() not in variables:
            raise SystemExit("%s: vars map does not contain key %r" % (name, expression.strip()))
        return str(variables[expression.strip()])

    return TOKEN.sub(substitute, text)


def b64(text):
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def main(vars_file, outdir):
    var = json.load(open(vars_file, encoding="utf-8"))
    password_file = "/etc/agent/rsync_backup.password"
    states = {
        "backup": templatefile("backup.state.yaml.tftpl", dict(
            rsync_port=var["rsync_port"], source_network=var["source_network"], password_file=password_file)),
        "source": templatefile("source.state.yaml.tftpl", dict(
            rsync_port=var["rsync_port"], backup_address=var["backup_address"], password_file=password_file)),
    }
    os.makedirs(outdir, exist_ok=True)
    for host, state in states.items():
        user_data = templatefile("cloud-init.yaml.tftpl", dict(
            state_b64=b64(state), password_b64=b64(var["rsync_password"]), password_file=password_file,
            agent_tarball_url=var["agent_tarball_url"]))
        with open(os.path.join(outdir, host + ".state.yaml"), "w", encoding="utf-8") as out:
            out.write(state)
        with open(os.path.join(outdir, host + ".user-data"), "w", encoding="utf-8") as out:
            out.write(user_data)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__.strip().splitlines()[-1])
    main(sys.argv[1], sys.argv[2])
