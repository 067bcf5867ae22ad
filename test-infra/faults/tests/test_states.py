import unittest

from faults import states
from faults.ident import ident
from faults.states import Layout, Module, Mount, Watch


class StatesTest(unittest.TestCase):
    idn = ident(4242)

    def test_the_same_declaration_twice_is_kept_once_and_two_under_one_name_are_refused(self):
        layout = Layout().add(Watch("a"), Mount("backup", "srv/a", "2m"), Watch("a"), Mount("backup", "srv/a", "2m"))
        self.assertEqual((len(layout.watches), len(layout.mounts)), (1, 1))
        with self.assertRaisesRegex(ValueError, "two different declarations of \\('a',\\)"):
            layout.add(Watch("a", max_delete=5))
        with self.assertRaisesRegex(ValueError, "two different declarations"):
            layout.add(Module("a"))  # a module of that name would be the watch's module
        with self.assertRaisesRegex(ValueError, "two different declarations"):
            layout.add(Mount("backup", "srv/a", "4m"))

    def test_the_backup_host_gets_a_module_per_watch_and_per_module_with_their_access_rules(self):
        layout = Layout().add(Watch("w"), Watch("o", user="other"), Module("ro", read_only=True),
                              Module("denied", hosts_allow=(), hosts_deny=("SOURCE",)),
                              Module("elsewhere", hosts_allow=("NET.99",)))
        text = states.backup_state(self.idn, layout)
        src = self.idn.src_ip
        self.assertIn("address: %s\n" % self.idn.bak_ip, text)
        self.assertIn("- { name: w, path: /srv/w, auth_users: [backup], hosts_allow: [%s] }" % src, text)
        self.assertIn("- { name: o, path: /srv/o, auth_users: [other], hosts_allow: [%s] }" % src, text)
        self.assertIn("- { name: ro, path: /srv/ro, auth_users: [backup], hosts_allow: [%s], read_only: true }" % src,
                      text)
        self.assertIn("- { name: denied, path: /srv/denied, auth_users: [backup], hosts_allow: [], hosts_deny: [%s] }"
                      % src, text)
        self.assertIn("hosts_allow: [%s.99] }" % self.idn.net, text)
        self.assertIn("- { name: backup, password: { env: FAULTS_PASSWORD } }", text)
        self.assertNotIn(self.idn.password, text)

    def test_the_source_host_replicates_each_watch_to_its_module_as_its_user(self):
        layout = Layout().add(Watch("g", max_delete=50), Watch("o", user="other", bwlimit_kbps=4000))
        text = states.source_state(self.idn, layout)
        self.assertIn('targets: [ { name: o, url: "rsync://other@%s/o", password_file: /etc/rsync.other } ]'
                      % self.idn.bak_ip, text)
        self.assertIn("    max_delete: 50\n", text)
        self.assertIn("rsync: { timeout: 10s, bwlimit_kbps: 4000 }", text)
        self.assertIn("- { path: /etc/rsync.backup, password: { env: FAULTS_PASSWORD } }", text)
        self.assertNotIn("watch_backend", text)
        self.assertNotIn(self.idn.password, text)

    def test_an_ssh_watch_goes_to_the_runs_ssh_account_with_the_host_key_pinned_and_no_module(self):
        layout = Layout().add(Watch("w"), Watch("s", ssh=True, bwlimit_kbps=2000))
        backup = states.backup_state(self.idn, layout, "ssh-ed25519 AAAA source")
        self.assertNotIn("name: s, path", backup)
        self.assertIn('  ssh_accounts:\n    - { user: flt4242ssh, path: /srv/s, authorized_keys: ["ssh-ed25519 AAAA source"] }\n',
                      backup)
        source = states.source_state(self.idn, layout, host_key="ssh-ed25519 BBBB")
        self.assertIn('targets: [ { name: s, url: "ssh://flt4242ssh@%s:2222/", identity_file: /etc/agent/id_ed25519, '
                      'host_key: "ssh-ed25519 BBBB" } ]' % self.idn.bak_ip, source)
        self.assertEqual(states.ssh_watches(layout), [Watch("s", ssh=True, bwlimit_kbps=2000)])
        self.assertNotIn("ssh_accounts", states.backup_state(self.idn, Layout().add(Watch("w"))))

    def test_a_watch_without_max_delete_gets_the_agents_default_guard(self):
        text = states.source_state(self.idn, Layout().add(Watch("off"), Watch("default", max_delete=None)))
        self.assertIn("  - name: off\n", text)
        self.assertEqual(text.count("max_delete"), 1, "only the watch that sets it: " + text)
        self.assertIn("    max_delete: 0\n    rsync:", text)

    def test_a_backend_asked_for_goes_into_the_settings(self):
        text = states.source_state(self.idn, Layout().add(Watch("w")), backend="fanotify")
        self.assertIn("  control_socket: /run/agent/agent.sock\n  watch_backend: fanotify\n", text)

    def test_no_watches_and_no_modules_are_empty_lists(self):
        self.assertIn("watches: []\n", states.source_state(self.idn, Layout()))
        self.assertIn("  modules:\n    []\n", states.backup_state(self.idn, Layout()))

    def test_an_agents_environment_holds_both_passwords_or_a_wrong_one(self):
        env = states.agent_env(self.idn, {"PATH": "/bin"})
        self.assertEqual((env["FAULTS_PASSWORD"], env["FAULTS_PASSWORD2"], env["PATH"], env["LANG"]),
                         (self.idn.password, self.idn.password2, "/bin", "C.UTF-8"))
        self.assertEqual(states.agent_env(self.idn, {}, "wrong")["FAULTS_PASSWORD"], "wrong")


class IdentTest(unittest.TestCase):

    def test_names_fit_the_kernels_limits_and_differ_per_run_and_variant(self):
        big = ident(4194304, 9)  # the largest pid_max
        self.assertLessEqual(len("v" + big.tag + "s"), 15)
        self.assertNotEqual(ident(100).tag, ident(100, 1).tag)
        self.assertNotEqual(ident(100).work, ident(100, 1).work)
        self.assertNotEqual(ident(100).tag, ident(1100).tag)
        self.assertEqual((ident(100).src_ip, ident(100).bak_ip), ("10.231.101.1", "10.231.101.2"))


if __name__ == "__main__":
    unittest.main()
