import json
import os
import socket
import tempfile
import threading
import unittest

from faults.agent import await_, call


class Clock:
    def __init__(self):
        self.now = 0.0

    def clock(self):
        return self.now

    def sleep(self, s):
        self.now += s


class AwaitTest(unittest.TestCase):

    def test_returns_the_first_truthy_value(self):
        values = iter([None, 0, "ready"])
        clock = Clock()
        self.assertEqual(await_("x", lambda: next(values), 10, 1, clock.clock, clock.sleep), "ready")
        self.assertEqual(clock.now, 2)

    def test_an_agent_not_answering_yet_is_not_yet_and_is_named_at_the_deadline(self):
        clock = Clock()

        def refused():
            raise ConnectionRefusedError("no socket")

        with self.assertRaisesRegex(AssertionError, r"not within 3 s: agent up \(last: ConnectionRefusedError"):
            await_("agent up", refused, 3, 1, clock.clock, clock.sleep)

    def test_the_condition_is_checked_at_the_deadline_itself(self):
        clock = Clock()
        self.assertEqual(await_("x", lambda: clock.now >= 3, 3, 2, clock.clock, clock.sleep), True)
        self.assertEqual(clock.now, 3)

    def test_an_assertion_inside_the_condition_fails_at_once(self):
        clock = Clock()

        def exited():
            raise AssertionError("agent exited 1")

        with self.assertRaisesRegex(AssertionError, "agent exited 1"):
            await_("x", exited, 10, 1, clock.clock, clock.sleep)
        self.assertEqual(clock.now, 0)


class CallTest(unittest.TestCase):

    def serve(self, answer):
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        path = os.path.join(tmp.name, "agent.sock")
        server = socket.socket(socket.AF_UNIX)
        server.bind(path)
        server.listen(1)
        self.addCleanup(server.close)
        seen = []

        def one():
            conn, _ = server.accept()
            with conn:
                seen.append(json.loads(conn.makefile("rb").readline()))
                conn.sendall(json.dumps(answer).encode() + b"\n")

        threading.Thread(target=one, daemon=True).start()
        return path, seen

    def test_a_request_gets_its_result(self):
        path, seen = self.serve({"v": 1, "id": 1, "ok": True, "result": {"watches": []}})
        self.assertEqual(call(path, "retry", {"target": "a/b"}), {"watches": []})
        self.assertEqual(seen, [{"v": 1, "id": 1, "op": "retry", "args": {"target": "a/b"}}])

    def test_an_error_names_the_op_and_the_agents_error(self):
        path, _ = self.serve({"v": 1, "id": 1, "ok": False, "error": {"code": "unknown_target"}})
        with self.assertRaisesRegex(AssertionError, "retry: {'code': 'unknown_target'}"):
            call(path, "retry")


if __name__ == "__main__":
    unittest.main()
