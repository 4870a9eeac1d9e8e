"""Lesson 04's Python twin of test_queue.c: collections.deque takes a block per 64 items
and a warm deque allocates nothing (fifo.py). Run by make test-04 (tools/twins.sh). The
bytes are tracemalloc's, exact; measured on CPython 3.11 and 3.13, the same on both.
"""
import sys
import tracemalloc
import unittest

import fifo

VERSIONS = ((3, 11), (3, 13))


class Blocks(unittest.TestCase):
    def setUp(self):
        tracemalloc.start()
        fifo.deque_bytes(0)

    def tearDown(self):
        tracemalloc.stop()

    def test_a_block_is_528_bytes_taken_at_item_33_then_every_64_on_3_11_and_3_13(self):
        if sys.version_info[:2] not in VERSIONS:
            self.skipTest("measured on CPython 3.11 and 3.13")
        self.assertEqual(fifo.blocks_at(300), [33, 97, 161, 225, 289],
                         f"CPython {sys.version_info[:2]}: where a deque takes a block")
        self.assertEqual(fifo.least_bytes(33) - fifo.least_bytes(32), 528,
                         f"CPython {sys.version_info[:2]}: a block's bytes (tracemalloc)")

    def test_n_items_cost_a_block_per_64_after_the_first_32(self):
        block = fifo.least_bytes(33) - fifo.least_bytes(32)
        empty = fifo.least_bytes(0)
        for n in (32, 33, 96, 97, 1000, 6432, 6433):
            want = 0 if n <= 32 else (n - 32 + 63) // 64
            self.assertEqual(fifo.least_bytes(n) - empty, want * block,
                             f"{n} items: {want} blocks of {block} B above the empty deque")


class SteadyState(unittest.TestCase):
    def setUp(self):
        tracemalloc.start()
        fifo.deque_bytes(0)

    def tearDown(self):
        tracemalloc.stop()

    def test_a_warm_deque_takes_no_block_however_many_bursts_go_through(self):
        block = fifo.least_bytes(33) - fifo.least_bytes(32)
        for bursts in (10, 1000, 10_000):
            moved, peak = fifo.steady(bursts)
            self.assertEqual(moved, 0, f"{bursts} bursts left {moved} B traced")
            self.assertLess(peak, block, f"{bursts} bursts: a peak of {peak} B, a block taken")


if __name__ == "__main__":
    unittest.main()
