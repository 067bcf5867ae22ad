"""One module per fault, each declaring FAULT (a fault.Fault). ALL is the order they run in: the faults during which
the /proc secret scan runs, then the checks that hand a password to a process themselves, then the scan of what is at
rest. A new fault: a module here with its FAULT, and its place in ALL."""
from . import control_socket, daemon, full, guard, hostile, limit, link, overflow, rest, rsyncd, sigkill, soak, ssh, statefile

ALL = [link.FAULT, daemon.FAULT, ssh.FAULT, sigkill.FAULT, full.FAULT, overflow.FAULT, limit.FAULT, guard.FAULT, hostile.FAULT,
       soak.FAULT, rsyncd.FAULT, control_socket.FAULT, statefile.FAULT, rest.FAULT]
