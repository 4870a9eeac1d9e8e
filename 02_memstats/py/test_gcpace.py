"""Lesson 02's Python twin of test_gcpace.c: CPython frees at reference count zero, pinned.

Run by make test-02 (tools/twins.sh). Sizes come from sys.getsizeof and the collector's
threshold from gc.get_threshold(), never typed: CPython 3.11's first generation runs every
700 container allocations, 3.13's every 2,000.
"""
import gc
import sys
import unittest

import gcpace as g

ONE = sys.getsizeof(bytes(g.BLOCK))  # a bytes object of BLOCK bytes: its header and data


class AtOnce(unittest.TestCase):
    def test_garbage_dropped_at_once_adds_exactly_one_object_to_the_peak(self):
        for garbage in (1, 10, g.GARBAGE):
            added, left = g.garbage_peak(g.drop_at_once, garbage=garbage)
            self.assertEqual((added, left), (ONE, 0),
                             f"{garbage} objects dropped at once: the peak should rise by one "
                             f"object ({ONE} B) and nothing stay traced")

    def test_the_live_set_is_one_object_per_block_and_the_list(self):
        _, live, _ = g.peak_over_live(g.drop_at_once, live=100, garbage=0)
        self.assertGreaterEqual(live, 100 * ONE)
        self.assertLess(live, 100 * ONE + 100 * 8 + 1024)  # and a list of 100 pointers


class Cycles(unittest.TestCase):
    def test_cycles_wait_for_the_collector_a_generation_at_a_time(self):
        threshold = gc.get_threshold()[0]
        garbage = 3 * threshold
        added, _ = g.garbage_peak(g.drop_in_cycles, garbage=garbage)
        # the first generation runs after `threshold` container allocations, one per cycle:
        # about that many cycles are waiting at the peak, and no more than all of them
        self.assertGreaterEqual(added, threshold * ONE,
                                f"gc threshold {threshold}: cycles should pile up to it")
        self.assertLess(added, garbage * ONE, "the collector should have freed some")

    def test_with_gc_disabled_every_cycle_stays(self):
        garbage = 1000
        added, left = g.garbage_peak(g.drop_in_cycles, garbage=garbage, collect=False)
        self.assertEqual(added, left, "nothing freed while the collector is off")
        self.assertGreaterEqual(added, garbage * ONE)

    def test_the_threshold_is_700_on_3_11_and_2000_on_3_13(self):
        want = {(3, 11): 700, (3, 13): 2000}.get(sys.version_info[:2])
        if want is None:
            self.skipTest(f"CPython {sys.version_info[:2]}: measured on 3.11 and 3.13 only")
        self.assertEqual(gc.get_threshold()[0], want)


if __name__ == "__main__":
    unittest.main()
