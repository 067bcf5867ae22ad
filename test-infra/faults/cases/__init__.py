"""One module per fault, each declaring FAULT (a fault.Fault). ALL is the order they run in: the faults during which
the /proc secret scan runs, then the checks that hand a password to a process themselves, then the scan of what is at
rest. The watch-root faults run first: three of them restart the agent, which is quickest while the other trees are
small. A new fault: a module here with its FAULT, and its place in ALL."""
from . import (control_socket, daemon, full, guard, hostile, limit, link, overflow, rest, root_deleted, root_missing,
               root_moved_back, root_replaced, root_symlink, root_unmounted, root_unmounted_restart, rsyncd, sigkill,
               soak, ssh, statefile)

ROOTS = [root_deleted.FAULT, root_replaced.FAULT, root_moved_back.FAULT, root_unmounted.FAULT,
         root_unmounted_restart.FAULT, root_missing.FAULT, root_symlink.FAULT]
ALL = ROOTS + [link.FAULT, daemon.FAULT, ssh.FAULT, sigkill.FAULT, full.FAULT, overflow.FAULT, limit.FAULT, guard.FAULT,
               hostile.FAULT, soak.FAULT, rsyncd.FAULT, control_socket.FAULT, statefile.FAULT, rest.FAULT]
