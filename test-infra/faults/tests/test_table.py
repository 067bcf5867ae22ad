import unittest

from faults import trees
from faults.table import Row, render


def convergence(seconds, source, target):
    return trees.Convergence(seconds, trees.diff(source, target), polls=1, leftovers=0, timeout=60)


class TableTest(unittest.TestCase):

    def test_every_figure_comes_from_the_rows_measurements(self):
        f = {b"f": ("f", 1, "h")}
        rows = [Row("equal", "inotify", 1, convergence(2.25, f, f), "3 / 1", ""),
                Row("lost", "-", 2, convergence(None, {b"f": ("f", 1, "h"), b"g": ("f", 1, "x")}, {b"x": ("f", 1, "h")}), "-", "n"),
                Row("no replica", "-", 2, None, "-", "a | b\nc"),
                Row("kept", "fanotify", 1, trees.Kept(trees.diff(f, {}), polls=9, seconds=2, leftovers=0), "0 / 0", "")]
        lines = render(rows).splitlines()
        self.assertEqual(lines[0], "| fault | backend | injected | lost / extra / differing | time to recover (s) | "
                                   "rsync runs / retries | notes |")
        self.assertEqual(lines[1], "|---|---|---|---|---|---|---|")
        self.assertEqual(lines[2], "| equal | inotify | 1 | 0 / 0 / 0 | 2.2 | 3 / 1 |  |")
        self.assertEqual(lines[3], "| lost | - | 2 | 2 / 1 / 0 | not in 60 | - | n |")
        self.assertEqual(lines[4], "| no replica | - | 2 | - | - | - | a \\| b c |")
        self.assertEqual(lines[5], "| kept | fanotify | 1 | 1 / 0 / 0 | kept 2 s | 0 / 0 |  |")


if __name__ == "__main__":
    unittest.main()
