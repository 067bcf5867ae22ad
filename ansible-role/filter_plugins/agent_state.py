# -*- coding: utf-8 -*-
"""Filters the role applies to the agent's state variable."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
from collections.abc import Mapping

from ansible.errors import AnsibleFilterError

INTEGER = re.compile(r"^-?(0|[1-9][0-9]*)$")
BOOLEANS = {"true": True, "false": False}
JSON_TYPES = {str: "string", bool: "boolean", int: "integer", float: "number"}


def agent_secret_values(state):
    """Every literal secret of a state ({value: ...} under a password key), to scrub from task output."""
    found = []

    def walk(node, key):
        if isinstance(node, Mapping):
            if key == "password" and isinstance(node.get("value"), str) and node["value"]:
                found.append(node["value"])
            for child_key, child in node.items():
                walk(child, child_key)
        elif isinstance(node, list):
            for child in node:
                walk(child, None)

    walk(state, None)
    return sorted(set(found))


def agent_typed(state, schema):
    """The state with templated scalars given back the type the schema wants.

    Ansible renders "{{ port }}" as the string "873" (and a boolean as "True"), which the state's schema rightly
    refuses. A templated string stays a string when the schema admits it (its type, its enum); otherwise it
    becomes the integer or boolean it spells when the schema admits that. So a password "123456" stays a string,
    a port "873" becomes 873 and delete "True" becomes true. Without a schema (the agent is not installed yet, in
    check mode) the state is returned unchanged.
    """
    if not schema:
        return state
    if not isinstance(schema, Mapping):
        raise AnsibleFilterError("agent_typed: the schema must be a mapping, got %s" % type(schema).__name__)

    def resolve(node):
        seen = 0
        while isinstance(node, Mapping) and "$ref" in node and seen < 32:
            ref = node["$ref"]
            if not ref.startswith("#/"):
                return {}
            target = schema
            for part in ref[2:].split("/"):
                target = target.get(part.replace("~1", "/").replace("~0", "~"), {}) if isinstance(target, Mapping) else {}
            node, seen = target, seen + 1
        return node if isinstance(node, Mapping) else {}

    def branches(node):
        """The node and every subschema a value of it may also have to match."""
        node = resolve(node)
        found = [node]
        for keyword in ("allOf", "anyOf", "oneOf"):
            for sub in node.get(keyword, []):
                found.extend(branches(sub))
        for keyword in ("then", "else"):
            if keyword in node:
                found.extend(branches(node[keyword]))
        return found

    def admits(nodes, candidate):
        """Whether the schema lets the value be this candidate: its JSON type declared, and in the enum or const."""
        kind = JSON_TYPES.get(type(candidate))
        declared, listed = set(), None
        for node in nodes:
            types = node.get("type")
            declared.update(types if isinstance(types, list) else [types] if types else [])
            values = ([node["const"]] if "const" in node else []) + list(node.get("enum", []))
            if values:
                listed = (listed or []) + values
                declared.update(JSON_TYPES.get(type(value)) for value in values)
        if "number" in declared:
            declared.add("integer")
        in_list = listed is None or any(type(value) is type(candidate) and value == candidate for value in listed)
        return kind in declared and in_list

    def child(nodes, key):
        found = []
        for node in nodes:
            if key in node.get("properties", {}):
                found.append(node["properties"][key])
                continue
            matched = [sub for pattern, sub in node.get("patternProperties", {}).items() if re.search(pattern, key)]
            found.extend(matched)
            if not matched and isinstance(node.get("additionalProperties"), Mapping):
                found.append(node["additionalProperties"])
        return found

    def items(nodes):
        return [node["items"] for node in nodes if isinstance(node.get("items"), Mapping)]

    def walk(value, schemas):
        nodes = [branch for node in schemas for branch in branches(node)]
        if isinstance(value, Mapping):
            return dict((key, walk(sub, child(nodes, key))) for key, sub in value.items())
        if isinstance(value, list):
            return [walk(sub, items(nodes)) for sub in value]
        if isinstance(value, str):
            text = value.strip()
            candidates = [value]
            if INTEGER.match(text):
                candidates.append(int(text))
            if text.lower() in BOOLEANS:
                candidates.append(BOOLEANS[text.lower()])
            for candidate in candidates:
                if admits(nodes, candidate):
                    return candidate
        return value

    return walk(state, [schema])


class FilterModule(object):
    def filters(self):
        return {"agent_secret_values": agent_secret_values, "agent_typed": agent_typed}
