import unittest

from faults import cases, runner
from faults.fault import Fault, Knobs


class RunnerTest(unittest.TestCase):

    def test_faults_names_a_selection_run_in_the_registrys_order(self):
        picked = runner.select("soak, daemon,link", cases.ALL)
        self.assertEqual([f.name for f in picked], ["link", "daemon", "soak"])
        self.assertEqual(runner.select("", cases.ALL), cases.ALL)

    def test_a_pattern_selects_the_faults_it_matches_and_one_matching_none_is_refused(self):
        self.assertEqual(runner.select("root-*", cases.ALL), cases.ROOTS)
        self.assertEqual([f.name for f in runner.select("root-un*,link", cases.ALL)],
                         ["root-unmounted", "root-unmounted-restart", "link"])
        with self.assertRaisesRegex(ValueError, r"unknown fault nope-\*;"):
            runner.select("nope-*", cases.ALL)

    def test_an_unknown_name_is_refused_with_the_known_ones(self):
        with self.assertRaisesRegex(ValueError, "unknown fault nope; known: root-deleted, root-replaced, "):
            runner.select("link,nope", cases.ALL)
        with self.assertRaisesRegex(ValueError, "unknown faults a, b;"):
            runner.select("a,b", cases.ALL)

    def test_backends_run_the_selection_once_each_or_once_with_the_default(self):
        self.assertEqual(runner.backends(""), [None])
        self.assertEqual(runner.backends("inotify, fanotify"), ["inotify", "fanotify"])

    def test_a_fault_for_some_backends_runs_on_those_and_on_the_default(self):
        f = Fault("x", lambda ctx: None, backends=("inotify",))
        self.assertEqual([f.applies(b) for b in (None, "inotify", "fanotify")], [True, True, False])
        self.assertTrue(Fault("y", lambda ctx: None).applies("fanotify"))

    def test_the_registry_has_unique_documented_names_scanned_faults_first_and_compatible_needs(self):
        names = [f.name for f in cases.ALL]
        self.assertEqual(len(names), len(set(names)))
        self.assertTrue(all(f.run.__doc__ for f in cases.ALL), "the runner logs each fault's docstring")
        scanned = [f.scanned for f in cases.ALL]
        self.assertEqual(scanned, sorted(scanned, reverse=True), "the /proc scan stops before the first unscanned")
        layout = runner.layout_of(cases.ALL)  # raises on two declarations of one name
        self.assertEqual(len({w.name for w in layout.watches}), len(layout.watches))

    def test_a_backend_independent_fault_runs_in_the_first_variant_that_runs_only(self):
        each, once = Fault("each", lambda ctx: None), Fault("once", lambda ctx: None, once=True)
        inotify = Fault("inotify", lambda ctx: None, backends=("inotify",))
        self.assertEqual(runner.variant([each, once, inotify], "fanotify", ran=False), [each, once])
        self.assertEqual(runner.variant([each, once, inotify], "inotify", ran=True), [each, inotify])
        self.assertEqual(runner.variant([each, once], None, ran=False), [each, once])

    def test_what_runs_once_is_what_does_not_depend_on_the_backend_and_the_slow_soak(self):
        self.assertEqual({f.name for f in cases.ALL if f.once},
                         {"link", "daemon", "full", "soak", "rsyncd", "socket", "statefile"})

    def test_knobs_default_to_the_full_soak(self):
        self.assertEqual(Knobs.of({}), Knobs(600, 30, 1))
        self.assertEqual(Knobs.of({"SOAK_SECONDS": "60", "LINK_DOWN_SECONDS": "5", "SOAK_SEED": "3"}), Knobs(60, 5, 3))


if __name__ == "__main__":
    unittest.main()
