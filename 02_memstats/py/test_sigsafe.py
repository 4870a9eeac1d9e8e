"""Lesson 02's Python twin of test_sigsafe.c: a Python handler runs in the main thread,
between bytecodes.

Run by make test-02 (tools/twins.sh). A timer due 5 ms into one bytes.replace over 32 MiB
(a few hundred ms here) calls its handler only when the call has returned; and a handler
that builds a list runs on every tick it gets while the main loop allocates, each list
whole, and the loop finishes. The same on CPython 3.11 and 3.13.
"""
import unittest

import sigsafe


class Handler(unittest.TestCase):
    def test_a_handler_waits_for_the_c_call_the_signal_interrupted(self):
        took, ran, main_thread = sigsafe.late_handler(32)
        self.assertGreater(took, 4 * sigsafe.DUE,
                           f"the C call took {took * 1e3:.1f} ms: too short to tell when the "
                           f"handler ran")
        # the handler runs at the first check between bytecodes after the call: after it
        # returned, and before the next statement read the clock
        self.assertGreaterEqual(ran, sigsafe.DUE + 0.9 * (took - sigsafe.DUE),
                                f"the timer was due at {sigsafe.DUE * 1e3:.0f} ms; the handler ran "
                                f"at {ran * 1e3:.1f} ms, the call took {took * 1e3:.1f} ms: "
                                f"expected it to run only once the call returned")
        self.assertLessEqual(ran, took)
        self.assertTrue(main_thread, "Python handlers run in the main thread")

    def test_a_handler_that_builds_a_list_runs_while_the_main_loop_allocates(self):
        runs, whole, made = sigsafe.allocating_handler(0.1)
        self.assertGreaterEqual(runs, 1, "a tick every 1 ms for 100 ms: expected the handler "
                                "to run at least once")
        self.assertLessEqual(runs, 100 + 1, "at most one run a tick")
        self.assertTrue(whole, "every list the handler built is whole")
        self.assertGreater(made, 0, "the main loop ran to its end")


if __name__ == "__main__":
    unittest.main()
