#!/usr/bin/python3
"""Table tests of the role's filters (ansible-role/filter_plugins/agent_state.py).

usage: test_filters.py SCHEMA.json   (the agent's own schema, from `agent schema`)
"""
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../ansible-role/filter_plugins"))
from agent_state import agent_secret_values, agent_typed  # noqa: E402

SCHEMA = None


class AgentTypedTest(unittest.TestCase):

    def test_templated_scalars_get_the_schema_type_back(self):
        cases = [
            # (what Ansible rendered, what the state file must hold)
            ({"server": {"port": "873"}}, {"server": {"port": 873}}),
            ({"server": {"use_chroot": "True"}}, {"server": {"use_chroot": True}}),
            ({"server": {"use_chroot": "false"}}, {"server": {"use_chroot": False}}),
            ({"server": {"max_connections": "0"}}, {"server": {"max_connections": 0}}),
            ({"server": {"modules": [{"name": "d", "path": "/d", "read_only": "False"}]}},
             {"server": {"modules": [{"name": "d", "path": "/d", "read_only": False}]}}),
            ({"watches": [{"name": "w", "max_delays": "10", "rsync": {"bwlimit_kbps": "500"}}]},
             {"watches": [{"name": "w", "max_delays": 10, "rsync": {"bwlimit_kbps": 500}}]}),
            ({"version": "1"}, {"version": 1}),
            ({"watches": [{"name": "w", "delete": "True"}]}, {"watches": [{"name": "w", "delete": True}]}),
        ]
        for rendered, wanted in cases:
            with self.subTest(rendered=rendered):
                self.assertEqual(wanted, agent_typed(rendered, SCHEMA))

    def test_strings_the_schema_allows_stay_strings(self):
        cases = [
            {"server": {"users": [{"name": "u", "password": {"value": "123456"}}]}},  # a numeric password
            {"server": {"modules": [{"name": "2024", "path": "/d", "mode": "0755"}]}},  # name and mode are strings
            {"watches": [{"name": "w", "delay": "5", "max_delete": "50%"}]},  # durations and guards take strings
            {"server": {"port": "not-a-port"}},  # left for validation to report with its line and column
            {"server": {"port": "08"}},  # not a canonical integer: left as written
            {"watches": [{"name": "w", "delete": "startup"}]},  # in the enum as a string
            {"settings": {"log": {"level": "info"}}},
        ]
        for state in cases:
            with self.subTest(state=state):
                self.assertEqual(state, agent_typed(state, SCHEMA))

    def test_without_a_schema_nothing_changes(self):
        state = {"server": {"port": "873"}}
        self.assertEqual(state, agent_typed(state, {}))

    def test_refs_and_one_of_are_followed(self):
        schema = {"$defs": {"n": {"type": "integer"}},
                  "properties": {"a": {"$ref": "#/$defs/n"},
                                 "b": {"oneOf": [{"type": "boolean"}, {"type": "integer"}]},
                                 "c": {"type": "object", "additionalProperties": {"type": "integer"}}}}
        self.assertEqual({"a": 1, "b": True, "c": {"x": 2}},
                         agent_typed({"a": "1", "b": "true", "c": {"x": "2"}}, schema))


class AgentSecretValuesTest(unittest.TestCase):

    def test_literal_passwords_are_found_wherever_they_are(self):
        state = {
            "server": {"users": [{"name": "a", "password": {"value": "pw-a"}},
                                 {"name": "b", "password": {"env": "B_PASSWORD"}}]},
            "client": {"password_files": [{"path": "/p", "password": {"value": "pw-c"}}]},
            "watches": [{"targets": [{"url": "rsync://x@h/m", "password": {"value": "pw-a"}},
                                     {"url": "rsync://y@h/m", "password": {"file": "/etc/pw"}}]}],
        }
        self.assertEqual(["pw-a", "pw-c"], agent_secret_values(state))

    def test_a_state_without_literals_has_none(self):
        self.assertEqual([], agent_secret_values({"version": 1, "watches": []}))


if __name__ == "__main__":
    SCHEMA = json.load(open(sys.argv.pop(1), encoding="utf-8"))
    unittest.main(verbosity=1)
