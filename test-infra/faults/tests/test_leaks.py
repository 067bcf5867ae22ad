import os
import tempfile
import unittest

from faults import leaks, procs

SECRET = b"Fault-Secret-1-q7"


class LeaksTest(unittest.TestCase):
    # pid: (parent, comm, argv, environ); 10 is the driver, 11 an agent it started, 12 that agent's rsync child
    table = {1: (0, b"init", b"/sbin/init\0", b""),
             10: (1, b"python3", b"python3\0-m\0faults\0", b"PATH=/bin\0"),
             11: (10, b"java", b"java\0-jar\0agent.jar\0", b"FAULTS_PASSWORD=" + SECRET + b"\0"),
             12: (11, b"rsync", b"rsync\0-a\0", b"PATH=/bin\0")}

    def test_nothing_is_found_where_the_secret_is_only_in_an_agents_environment(self):
        self.assertEqual(leaks.proc_leaks(self.table, [SECRET], driver=10), set())

    def test_an_rsync_child_holding_it_in_its_environment_is_found(self):
        table = dict(self.table)
        table[12] = (11, b"rsync", b"rsync\0-a\0", b"RSYNC_PASSWORD=" + SECRET + b"\0")
        self.assertEqual(leaks.proc_leaks(table, [SECRET], driver=10), {"environ of pid 12 (rsync: rsync)"})

    def test_argv_is_never_exempt_nor_a_process_outside_the_drivers_tree(self):
        table = dict(self.table)
        table[11] = (10, b"java", b"java\0--password=" + SECRET + b"\0", b"")
        table[20] = (1, b"rsync", b"rsync\0--daemon\0", b"X=" + SECRET + b"\0")
        table[21] = (1, b"sh", b"sh\0", b"X=" + SECRET + b"\0")
        self.assertEqual(leaks.proc_leaks(table, [SECRET], driver=10),
                         {"cmdline of pid 11 (java: java)", "environ of pid 20 (rsync: rsync)",
                          "environ of pid 21 (sh: sh)"})

    def test_this_process_is_readable_in_proc(self):
        me = leaks.read_processes()[os.getpid()]
        self.assertEqual(me[0], os.getppid())
        self.assertIn(os.getpid(), procs.descendants(os.getppid()))

    def test_files_holding_reads_every_file_but_the_allowed_ones_and_links(self):
        with tempfile.TemporaryDirectory() as root:
            def put(rel, data):
                path = os.path.join(root, rel)
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "wb") as f:
                    f.write(data)

            put("log/agent.log", b"started\n")
            put("state/queue", b"x" + SECRET)
            put("etc/secrets", SECRET)
            os.symlink(os.path.join(root, "etc/secrets"), os.path.join(root, "log/link"))
            read, hits = leaks.files_holding(root, [SECRET], allowed={os.path.join(root, "etc/secrets")})
            self.assertEqual((read, hits), (2, [os.path.join(root, "state/queue")]))

    def test_outputs_holding_names_the_outputs(self):
        self.assertEqual(leaks.outputs_holding({"plan": b"ok", "console": b"pw " + SECRET}, [SECRET]), ["console"])


class ProcsTest(unittest.TestCase):

    def test_descendants_follow_the_parent_map(self):
        parents = {2: 1, 3: 2, 4: 3, 5: 1, 6: 5}
        self.assertEqual(procs.descendants(2, parents), {2, 3, 4})
        self.assertEqual(procs.descendants(9, parents), {9})


if __name__ == "__main__":
    unittest.main()
