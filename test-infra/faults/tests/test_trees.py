import os
import random
import tempfile
import unittest

from faults import trees


class Clock:
    """A fake monotonic clock; sleep advances it and runs what the test scheduled for that poll."""

    def __init__(self, actions=()):
        self.now = 100.0
        self.sleeps = 0
        self.actions = dict(actions)

    def clock(self):
        return self.now

    def sleep(self, s):
        self.sleeps += 1
        self.now += s
        if self.sleeps in self.actions:
            self.actions[self.sleeps]()


def put(root, rel, data=b"x"):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


class TreesTest(unittest.TestCase):

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.src = os.path.join(self.tmp.name, "src")
        self.dst = os.path.join(self.tmp.name, "dst")
        os.makedirs(self.src)
        os.makedirs(self.dst)

    def tearDown(self):
        self.tmp.cleanup()

    def test_snapshot_records_kind_size_content_and_link_target_under_raw_names(self):
        put(self.src, "d/f", b"hello")
        os.symlink("../elsewhere", os.path.join(self.src, "d/l"))
        os.mkfifo(os.path.join(self.src, "fifo"))
        put(os.fsencode(self.src), b"\xff-not-utf8", b"")
        snap = trees.snapshot(self.src)
        self.assertEqual(set(snap), {b"d", b"d/f", b"d/l", b"fifo", b"\xff-not-utf8"})
        self.assertEqual(snap[b"d"], ("d", 0, ""))
        self.assertEqual(snap[b"d/f"][:2], ("f", 5))
        self.assertEqual(snap[b"d/f"][2], "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824")
        self.assertEqual(snap[b"d/l"], ("l", 0, b"../elsewhere"))
        self.assertEqual(snap[b"fifo"][0], "s")
        self.assertEqual(trees.files(snap), 2)

    def test_a_link_to_a_directory_is_not_followed(self):
        put(self.src, "real/f")
        os.symlink("real", os.path.join(self.src, "alias"))
        self.assertNotIn(b"alias/f", trees.snapshot(self.src))

    def test_the_targets_reserved_directory_is_left_out_at_its_root_only(self):
        put(self.dst, ".agent/tmp/.f.AbC123")
        put(self.dst, "sub/.agent/f")
        self.assertEqual(set(trees.target_snapshot(self.dst)), {b"sub", b"sub/.agent", b"sub/.agent/f"})
        self.assertEqual(trees.leftovers(self.dst), 1)
        self.assertEqual(trees.leftovers(self.src), 0)

    def test_a_missing_target_is_an_empty_replica_and_a_missing_source_an_error(self):
        self.assertEqual(trees.target_snapshot(os.path.join(self.tmp.name, "nowhere")), {})
        with self.assertRaises(FileNotFoundError):
            trees.snapshot(os.path.join(self.tmp.name, "nowhere"))

    def test_a_replaced_file_of_the_same_size_is_read_again(self):
        put(self.dst, "f", b"AAAA")
        hashes = trees.Hashes()
        first = trees.snapshot(self.dst, hashes)[b"f"]
        put(self.dst, ".f.tmp", b"BBBB")
        os.rename(os.path.join(self.dst, ".f.tmp"), os.path.join(self.dst, "f"))  # as rsync does
        second = trees.snapshot(self.dst, hashes)[b"f"]
        self.assertEqual(first[:2], second[:2])
        self.assertNotEqual(first[2], second[2])
        self.assertEqual(second, trees.snapshot(self.dst)[b"f"])

    def test_diff_counts_lost_extra_and_differing_paths_and_names_rsync_temp_files(self):
        source = {b"a": ("f", 1, "h1"), b"d": ("d", 0, ""), b"d/blob03": ("f", 4, "h2"), b"l": ("l", 0, b"x")}
        target = {b"d": ("d", 0, ""), b"d/blob03": ("f", 4, "other"), b"d/.blob03.Xy12Z9": ("f", 2, "h3"),
                  b".stray.Ab12Cd": ("f", 1, "h4"), b".short.Ab1": ("f", 1, "h5"), b"l": ("l", 0, b"y")}
        d = trees.diff(source, target)
        self.assertEqual(d.lost, (b"a",))
        self.assertEqual(d.extra, (b".short.Ab1", b".stray.Ab12Cd", b"d/.blob03.Xy12Z9"))
        self.assertEqual(d.differing, (b"d/blob03", b"l"))
        self.assertEqual(d.temps, {b".stray.Ab12Cd", b"d/.blob03.Xy12Z9"})  # a file since renamed leaves one too
        self.assertFalse(d.clean)
        self.assertEqual(d.counts(), "1 / 3 / 2")
        self.assertEqual(d.describe(), "lost 1: 'a'; extra 3: '.short.Ab1', '.stray.Ab12Cd' (rsync temp file), "
                                       "'d/.blob03.Xy12Z9' (rsync temp file); differing 2: 'd/blob03', 'l'")
        self.assertEqual(trees.diff(source, dict(source)).describe(), "equal")

    def test_describe_shows_the_first_paths_and_says_there_are_more(self):
        d = trees.diff({b"f%d" % i: ("f", 0, "") for i in range(7)}, {})
        self.assertEqual(d.describe(limit=2), "lost 7: 'f0', 'f1', …")

    def test_converge_measures_from_the_end_of_the_fault_to_the_first_equal_poll(self):
        put(self.src, "d/a", b"1")
        put(self.src, "d/b", b"2")
        put(self.dst, "d/a", b"1")
        clock = Clock({3: lambda: put(self.dst, "d/b", b"2")})
        c = trees.converge(self.src, self.dst, since=95.0, timeout=60, clock=clock.clock, sleep=clock.sleep,
                           interval=0.5)
        self.assertTrue(c.ok)
        self.assertEqual(c.polls, 4)
        self.assertAlmostEqual(c.seconds, 5.0 + 3 * 0.5)
        self.assertTrue(c.diff.clean)

    def test_converge_waits_for_the_content_not_only_the_sizes(self):
        put(self.src, "f", b"new!")
        put(self.dst, "f", b"old!")

        def replace():
            put(self.dst, ".f.tmp", b"new!")
            os.rename(os.path.join(self.dst, ".f.tmp"), os.path.join(self.dst, "f"))

        clock = Clock({2: replace})
        c = trees.converge(self.src, self.dst, since=100.0, timeout=60, clock=clock.clock, sleep=clock.sleep)
        self.assertTrue(c.ok)
        self.assertEqual(c.polls, 3)

    def test_converge_reports_what_differs_at_the_deadline_without_asserting(self):
        put(self.src, "kept", b"k")
        put(self.src, "lost", b"l")
        put(self.dst, "kept", b"k")
        put(self.dst, ".kept.Ab12Cd", b"partial")
        put(self.dst, ".agent/tmp/.lost.Zz99Yy", b"partial")
        clock = Clock()
        c = trees.converge(self.src, self.dst, since=100.0, timeout=10, clock=clock.clock, sleep=clock.sleep,
                           interval=1)
        self.assertFalse(c.ok)
        self.assertIsNone(c.seconds)
        self.assertEqual(c.timeout, 10)
        self.assertEqual(clock.now, 110.0)  # polled up to the deadline, not past it
        self.assertEqual(c.polls, 11)
        self.assertEqual((c.diff.lost, c.diff.extra, c.diff.temps), ((b"lost",), (b".kept.Ab12Cd",), {b".kept.Ab12Cd"}))
        self.assertEqual(c.leftovers, 1)

    def test_converge_equal_at_once_is_zero_seconds_after_since(self):
        put(self.src, "f")
        put(self.dst, "f")
        clock = Clock()
        c = trees.converge(self.src, self.dst, since=100.0, timeout=10, clock=clock.clock, sleep=clock.sleep)
        self.assertEqual((c.seconds, c.polls, clock.sleeps), (0.0, 1, 0))

    def test_kept_polls_the_window_and_reports_the_worst_poll(self):
        put(self.dst, "a", b"1")
        put(self.dst, "b", b"2")
        reference = trees.target_snapshot(self.dst)
        clock = Clock({2: lambda: os.unlink(os.path.join(self.dst, "b")), 3: lambda: put(self.dst, "b", b"2")})
        k = trees.kept(reference, self.dst, 2, clock=clock.clock, sleep=clock.sleep, interval=0.5)
        self.assertEqual(k.polls, 5)  # at 0, 0.5, 1, 1.5 and 2 s
        self.assertEqual(k.diff.lost, (b"b",), "a file gone at one poll and back later still counts")
        self.assertFalse(k.ok)
        self.assertIn("did not keep the files it held before the fault (over 2 s, 5 polls): lost 1: 'b'", k.why())

    def test_kept_allows_the_extra_files_of_a_new_tree_only(self):
        put(self.dst, "a", b"1")
        reference = trees.target_snapshot(self.dst)
        put(self.dst, "new", b"sent by a held full sync")
        clock = Clock()
        k = trees.kept(reference, self.dst, 1, allowed=lambda: {b"new"}, clock=clock.clock, sleep=clock.sleep)
        self.assertTrue(k.ok)
        self.assertEqual(k.diff.counts(), "0 / 1 / 0")
        put(self.dst, "a", b"changed")
        self.assertFalse(trees.kept(reference, self.dst, 0, allowed=lambda: {b"new"}).ok, "a differing file counts")
        self.assertFalse(trees.kept(reference, self.dst.replace("dst", "src"), 0).ok, "an emptied target counts")
        put(self.dst, "a", b"1")
        self.assertFalse(trees.kept(reference, self.dst, 0).ok, "an extra file not allowed counts")

    def test_burst_writes_count_files_of_size_in_directories_of_per_dir(self):
        n = trees.burst(self.src, 25, "b", 16, per_dir=10, rng=random.Random(1))
        snap = trees.snapshot(self.src)
        self.assertEqual(n, 25)
        self.assertEqual(trees.files(snap), 25)
        self.assertEqual(sorted(k for k, v in snap.items() if v[0] == "d"), [b"b000", b"b001", b"b002"])
        self.assertEqual({v[1] for v in snap.values() if v[0] == "f"}, {16})


if __name__ == "__main__":
    unittest.main()
