import ctypes
import errno
import unittest

from faults import fanotify


class Libc:
    """fanotify_init and fanotify_mark as a kernel would answer them, errno included."""

    def __init__(self, init_errno=0, mark_errno=0):
        self.init_errno, self.mark_errno = init_errno, mark_errno
        self.calls = []

    def fanotify_init(self, flags, event_flags):
        self.calls.append(("init", flags))
        ctypes.set_errno(self.init_errno)
        return -1 if self.init_errno else 7

    def fanotify_mark(self, fd, flags, mask, dirfd, path):
        self.calls.append(("mark", fd, flags, path))
        ctypes.set_errno(self.mark_errno)
        return -1 if self.mark_errno else 0


class FanotifyTest(unittest.TestCase):

    def test_a_filesystem_mark_with_directory_handles_and_names_is_what_is_probed(self):
        c, closed = Libc(), []
        self.assertIsNone(fanotify.problem("/srv", c, closed.append))
        self.assertEqual(c.calls, [("init", 0x1 | 0x2 | 0xc00), ("mark", 7, 0x101, b"/srv")])
        self.assertEqual(closed, [7])

    def test_why_not_names_the_call_the_error_and_what_it_needs(self):
        self.assertEqual(fanotify.problem("/srv", Libc(init_errno=errno.EPERM)),
                         "fanotify_init: Operation not permitted (needs CAP_SYS_ADMIN)")
        self.assertEqual(fanotify.problem("/srv", Libc(init_errno=errno.EINVAL)),
                         "fanotify_init: Invalid argument (FAN_REPORT_DFID_NAME needs Linux 5.9)")
        closed = []
        self.assertEqual(fanotify.problem("/srv", Libc(mark_errno=errno.EXDEV), closed.append),
                         "a filesystem mark on /srv: Invalid cross-device link (the filesystem gives no file handles)")
        self.assertEqual(fanotify.problem("/srv", Libc(mark_errno=errno.EPERM), closed.append),  # unprivileged: init works
                         "a filesystem mark on /srv: Operation not permitted (a filesystem mark needs CAP_SYS_ADMIN)")
        self.assertEqual(closed, [7, 7], "the descriptor is closed on failure too")

    def test_the_skip_line_is_the_one_make_test_repeats(self):
        self.assertEqual(fanotify.skipped("fanotify_init: x"), "fanotify is not available on this machine "
                                                                "(fanotify_init: x): the fault suite's fanotify run is skipped")


if __name__ == "__main__":
    unittest.main()
