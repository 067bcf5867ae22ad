"""Whether fanotify works on this machine as the agent uses it (a filesystem mark reporting directory handles and
names: CAP_SYS_ADMIN, Linux 5.9), probed on the source host's /srv, independently of the agent: where it does, a
fanotify run that fails is a failure; where it does not, the run is skipped with one line that says why."""
import ctypes
import errno
import os

FAN_CLOEXEC, FAN_NONBLOCK, FAN_REPORT_DFID_NAME = 0x1, 0x2, 0x400 | 0x800
FAN_MARK_ADD, FAN_MARK_FILESYSTEM = 0x1, 0x100
FAN_CREATE, FAN_ONDIR = 0x100, 0x40000000
AT_FDCWD = -100
INIT_HINTS = {errno.EPERM: " (needs CAP_SYS_ADMIN)", errno.EINVAL: " (FAN_REPORT_DFID_NAME needs Linux 5.9)",
              errno.ENOSYS: " (no fanotify in this kernel)"}
MARK_HINTS = {errno.EPERM: " (a filesystem mark needs CAP_SYS_ADMIN)",
              **dict.fromkeys((errno.EXDEV, errno.ENODEV, errno.EOPNOTSUPP), " (the filesystem gives no file handles)")}


def libc():
    c = ctypes.CDLL(None, use_errno=True)
    c.fanotify_init.argtypes, c.fanotify_init.restype = [ctypes.c_uint, ctypes.c_uint], ctypes.c_int
    c.fanotify_mark.argtypes = [ctypes.c_int, ctypes.c_uint, ctypes.c_uint64, ctypes.c_int, ctypes.c_char_p]
    c.fanotify_mark.restype = ctypes.c_int
    return c


def problem(path, c=None, close=os.close):
    """None when fanotify can mark path's filesystem, else why not (one line)."""
    c = c or libc()
    fd = c.fanotify_init(FAN_CLOEXEC | FAN_NONBLOCK | FAN_REPORT_DFID_NAME, os.O_RDONLY)
    if fd < 0:
        e = ctypes.get_errno()
        return "fanotify_init: %s%s" % (os.strerror(e), INIT_HINTS.get(e, ""))
    try:
        if c.fanotify_mark(fd, FAN_MARK_ADD | FAN_MARK_FILESYSTEM, FAN_CREATE | FAN_ONDIR, AT_FDCWD,
                           os.fsencode(path)) != 0:
            e = ctypes.get_errno()
            return "a filesystem mark on %s: %s%s" % (path, os.strerror(e), MARK_HINTS.get(e, ""))
    finally:
        close(fd)
    return None


def skipped(why):
    """The line `make test` repeats at its end (fanotify-skips)."""
    return "fanotify is not available on this machine (%s): the fault suite's fanotify run is skipped" % why
