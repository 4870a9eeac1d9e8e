"""Lesson 02's Python twin, pinned: what tracemalloc shows of the job.

Run by make test-02 (tools/twins.sh). Sizes come from sys.getsizeof, not typed in: a
bytes object's header differs between CPython versions.
"""
import linecache
import sys
import tracemalloc
import unittest

import records as r

N = 2000


def line_of(stats, marker):
    """The statistic whose source line contains marker (a piece of that line's code)."""
    for s in stats:
        frame = s.traceback[0]
        if marker in linecache.getline(frame.filename, frame.lineno):
            return s
    return None


class Heavy(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.built, cls.dropped, cls.traced = r.run(r.heavy_build, r.heavy_drop, N)

    def test_the_record_line_holds_one_object_per_record(self):
        s = line_of(self.built.statistics("lineno"), ".ljust(")
        one = sys.getsizeof(r.make_record(0))  # 100 bytes of data and the object header
        self.assertEqual((s.count, s.size), (N, N * one))

    def test_the_list_is_one_block_at_its_own_line(self):
        s = line_of(self.built.statistics("lineno"), "for i in range(n)]")
        self.assertEqual(s.count, 1)
        self.assertGreaterEqual(s.size, 8 * N)  # a pointer per record

    def test_the_drop_frees_all_but_one_record_in_64_and_makes_one_list(self):
        diff = self.dropped.compare_to(self.built, "lineno")
        rec = line_of(diff, ".ljust(")
        self.assertEqual((rec.count, rec.count_diff), (r.kept(N), -(N - r.kept(N))))
        new_list = line_of(diff, "records[::KEEP_EVERY]")
        # one list: its array of pointers, and the list object itself unless CPython took
        # one from its free list of dead lists, which holds one or not depending on what
        # ran before (another test module imported first empties it)
        self.assertIn(new_list.count_diff, (1, 2))
        self.assertGreaterEqual(new_list.size_diff, 8 * r.kept(N))

    def test_the_peak_is_at_least_what_is_traced_now(self):
        current, peak = self.traced
        self.assertGreaterEqual(peak, current)
        self.assertGreaterEqual(current, N * r.RECORD_SIZE)


class Light(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.built, cls.dropped, cls.traced = r.run(r.light_build, r.light_drop, N)

    def test_every_record_is_in_one_bytearray(self):
        s = line_of(self.built.statistics("lineno"), "bytearray(n * RECORD_SIZE)")
        # the bytearray object and its buffer: two blocks, whatever N is
        self.assertEqual(s.count, 2)
        self.assertGreaterEqual(s.size, N * r.RECORD_SIZE)
        self.assertIsNone(line_of(self.built.statistics("lineno"), ".ljust("))  # no record lives alone

    def test_the_drop_swaps_the_big_block_for_a_small_one(self):
        diff = self.dropped.compare_to(self.built, "lineno")
        self.assertEqual(line_of(diff, "bytearray(n * RECORD_SIZE)").count, 0)
        small = line_of(diff, "bytearray(kept(n) * RECORD_SIZE)")
        self.assertEqual(small.count_diff, 2)
        self.assertGreaterEqual(small.size, r.kept(N) * r.RECORD_SIZE)


class Both(unittest.TestCase):
    def test_heavy_and_light_keep_the_same_records(self):
        heavy = r.heavy_drop(r.heavy_build(N))
        light = r.light_drop(r.light_build(N))
        self.assertEqual(b"".join(heavy), bytes(light))
        self.assertEqual(len(heavy), r.kept(N))
        self.assertTrue(heavy[1].startswith(b"record 64\0"))


class ResetPeak(unittest.TestCase):
    """tracemalloc.reset_peak() is countalloc_peak_reset(): the peak drops to what is
    traced now, and rises again only with what is allocated after it."""

    def setUp(self):
        tracemalloc.start()

    def tearDown(self):
        tracemalloc.stop()

    def test_reset_peak_brings_the_peak_down_to_what_is_traced_now(self):
        big = bytearray(1 << 20)
        del big
        current, peak = tracemalloc.get_traced_memory()
        self.assertGreaterEqual(peak - current, 1 << 20)
        tracemalloc.reset_peak()
        current, peak = tracemalloc.get_traced_memory()
        self.assertEqual(peak, current)

    def test_after_reset_peak_only_later_blocks_raise_it(self):
        big = bytearray(1 << 20)
        del big
        tracemalloc.reset_peak()
        before, _ = tracemalloc.get_traced_memory()
        half = bytearray(1 << 19)
        del half
        current, peak = tracemalloc.get_traced_memory()
        self.assertGreaterEqual(peak - before, 1 << 19)
        self.assertLess(peak - before, 1 << 20)


if __name__ == "__main__":
    unittest.main()
