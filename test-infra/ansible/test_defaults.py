#!/usr/bin/python3
"""The role's documented defaults (meta/argument_specs.yml) are the ones it applies (defaults/main.yml).

Ansible validates a role's arguments against its spec but takes the values from defaults/main.yml: a default
written in both places drifts unless a test compares them. Every variable of defaults/main.yml is in the spec with
the same default (the same YAML value, templates compared as text); a spec option without a default is required.
"""
import os
import sys
import unittest

import yaml

ROLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../ansible-role")


def load(rel):
    with open(os.path.join(ROLE, rel), encoding="utf-8") as f:
        return yaml.safe_load(f)


class DefaultsTest(unittest.TestCase):

    def setUp(self):
        self.options = load("meta/argument_specs.yml")["argument_specs"]["main"]["options"]
        self.defaults = load("defaults/main.yml")

    def test_every_default_is_documented_with_the_same_value(self):
        for name, value in self.defaults.items():
            with self.subTest(variable=name):
                self.assertIn(name, self.options, "%s is in defaults/main.yml but not in the spec" % name)
                self.assertIn("default", self.options[name], "the spec gives %s no default" % name)
                self.assertEqual(value, self.options[name]["default"])

    def test_an_option_without_a_default_is_required(self):
        for name, spec in self.options.items():
            with self.subTest(option=name):
                self.assertTrue(name in self.defaults or spec.get("required"),
                                "%s has no default in defaults/main.yml and is not required" % name)

    def test_the_state_and_the_environment_are_never_logged(self):
        for name in ("agent_state", "agent_environment"):
            with self.subTest(option=name):
                self.assertIs(True, self.options[name].get("no_log"))


if __name__ == "__main__":
    unittest.main(verbosity=1)
