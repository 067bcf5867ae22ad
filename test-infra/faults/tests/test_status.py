import unittest

from faults import status
from faults.status import Counters


def target(**kw):
    tg = {"name": "t", "state": "running", "alert": None, "queue_depth": 0, "in_flight": 0, "failure_count": 0,
          "rsync_runs": 0, "retries": 0}
    tg.update(kw)
    return tg


class StatusTest(unittest.TestCase):

    def test_find_target_gives_the_watchs_first_target_with_the_watch(self):
        s = {"watches": [{"name": "a", "targets": [target(name="a1")]}, {"name": "b", "targets": [target(name="b1")]}]}
        tg = status.find_target(s, "b")
        self.assertEqual((tg["name"], tg["watch"]["name"]), ("b1", "b"))
        with self.assertRaisesRegex(AssertionError, "no watch 'c' in the status \\(watches: \\['a', 'b'\\]\\)"):
            status.find_target(s, "c")

    def test_paused_needs_the_state_and_an_alert_word_and_the_reason_where_the_agent_reports_one(self):
        auth = target(state="paused", alert="rsync exit 5: @ERROR: auth failed on module data")
        self.assertTrue(status.paused(auth, "error", "auth"))
        self.assertFalse(status.paused(auth, "error", "delete"))
        self.assertFalse(status.paused(dict(auth, state="running"), "error", "auth"))
        self.assertTrue(status.paused(dict(auth, pause_reason="error"), "error", "auth"))
        self.assertFalse(status.paused(dict(auth, pause_reason="operator"), "error", "auth"))
        self.assertFalse(status.paused(target(state="paused"), "error", "auth"))

    def test_alert_has_any_word_ignoring_case(self):
        tg = target(alert="No space left on device")
        self.assertTrue(status.alert_has(tg, "exit 11", "no space left"))
        self.assertFalse(status.alert_has(target(), "no space left"))

    def test_idle_and_pending(self):
        self.assertTrue(status.idle(target()))
        self.assertFalse(status.idle(target(in_flight=1)))
        self.assertFalse(status.idle(target(queue_depth=3)))
        self.assertEqual(status.pending(target(queue_depth=3, failure_count=2)), 5)

    def test_counters_count_from_before_or_from_a_restart(self):
        before = Counters.of(target(rsync_runs=10, retries=2), pid=7)
        self.assertEqual(Counters.of(target(rsync_runs=14, retries=3), pid=7).since(before), "4 / 1")
        self.assertEqual(Counters.of(target(rsync_runs=3, retries=0), pid=8).since(before), "3 / 0 since restart")


if __name__ == "__main__":
    unittest.main()
