"""Lesson 02's Python twin of test_cow.c: what a forked child copies of objects it reads.

Run by make test-02 (tools/twins.sh). Every size comes from sys.getsizeof and every copy
from the child's Private_Dirty; the bounds are ratios, since the kernel counts pages and
the objects share them. Measured on CPython 3.11 and 3.13: the same on both.
"""
import sys
import unittest

import cow

N = 100000
KIB = 1024


class Cow(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.m = cow.measure(N)

    def test_reading_each_str_copies_at_least_the_strs_own_bytes(self):
        # every page that holds a str is written (its reference count), so copied: the
        # objects, and what shares their pages
        m = self.m
        self.assertGreaterEqual(m["str_read"], 0.9 * m["str_size"],
                                "reading a str writes its reference count: its page is copied")
        self.assertLess(m["str_read"], 2 * m["str_size"])

    def test_one_bytes_object_of_the_same_characters_copies_almost_nothing(self):
        m = self.m
        self.assertLess(m["bytes_read"], m["bytes_size"] / 10,
                        "one object: one reference count written, its data only read")
        self.assertLess(m["bytes_read"], m["str_read"] / 20)

    def test_ints_of_their_own_are_copied_like_strs(self):
        self.assertGreaterEqual(self.m["big_read"], 0.9 * self.m["big_size"])

    def test_small_ints_are_shared_objects_and_copy_almost_nothing(self):
        # 262 cached ints (-5..256) shared by every list: their pages at most, immortal
        # or not (3.12 made them immortal: no count written at all)
        self.assertLess(self.m["small_read"], 256 * KIB)

    def test_interned_strs_are_copied_too_on_3_11_and_3_13(self):
        if sys.version_info[:2] not in ((3, 11), (3, 13)):
            self.skipTest("measured on CPython 3.11 and 3.13")
        self.assertGreaterEqual(self.m["interned_read"], 0.9 * self.m["str_size"],
                                "an interned str made at run time is not immortal on 3.11 or 3.13")

    def test_a_small_int_is_immortal_on_3_13_and_strs_made_at_run_time_are_not(self):
        moves = self.m["moves"]
        immortal_small = sys.version_info >= (3, 12)
        self.assertEqual(moves["small int"], 0 if immortal_small else 1000,
                         f"CPython {sys.version_info[:2]}: a cached small int's count "
                         f"{'never moves' if immortal_small else 'moves with each reference'}")
        self.assertEqual(moves["str made at run time"], 1000)
        if sys.version_info[:2] in ((3, 11), (3, 13)):
            self.assertEqual(moves["interned str"], 1000, "interned at run time: mortal")

    def test_a_collection_in_the_child_copies_every_tracked_container(self):
        # the collector writes each tracked object's GC header as it visits it
        self.assertGreaterEqual(self.m["collect"], 0.9 * self.m["lists_size"])

    def test_gc_freeze_spares_what_a_collection_would_copy(self):
        self.assertLess(self.m["collect_frozen"], self.m["collect"] / 20,
                        "frozen objects are in a generation no collection visits")

    def test_gc_freeze_does_not_spare_what_reading_copies(self):
        m = self.m
        self.assertGreaterEqual(m["lists_read_frozen"], 0.9 * m["lists_size"],
                                "reading still writes each reference count")
        self.assertGreaterEqual(m["lists_read_frozen"], 0.9 * m["lists_read"])


if __name__ == "__main__":
    unittest.main()
