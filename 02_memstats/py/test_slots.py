"""Lesson 02's Python twin of test_record.c: what one record costs as an object, pinned.

Run by make test-02 (tools/twins.sh). Every figure is measured here with tracemalloc or
sys.getsizeof, never typed; where CPython 3.11 and 3.13 differ, the test says both.
"""
import sys
import unittest

import slots as s


class Record(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.plain = s.per_instance(s.Rec, touch_dict=True)
        cls.slots = s.per_instance(s.RecSlots)
        cls.dicts = s.per_instance(s.a_dict)

    def test_a_slots_instance_is_one_block_the_size_getsizeof_says_and_has_no_dict(self):
        self.assertEqual(self.slots[:2], (sys.getsizeof(s.RecSlots()), 1.0))
        self.assertFalse(hasattr(s.RecSlots(), "__dict__"))

    def test_an_ordinary_instance_is_two_blocks_on_3_11_and_one_on_3_13(self):
        # 3.11: the object, and its attribute values in a block of their own; 3.13: the
        # values inside the object
        want = 1.0 if sys.version_info >= (3, 13) else 2.0
        self.assertEqual(self.plain[1], want, f"CPython {sys.version_info[:2]}: blocks per instance")

    def test_getsizeof_of_an_ordinary_instance_leaves_out_bytes_tracemalloc_counts(self):
        self.assertLess(sys.getsizeof(s.Rec()), self.plain[0])

    def test_slots_save_bytes_but_less_than_a_dict_of_the_same_fields_costs(self):
        saved = self.plain[0] - self.slots[0]
        self.assertGreater(saved, 0, "a __slots__ instance should cost less than an ordinary one")
        self.assertLess(saved, self.dicts[0],
                        "an ordinary instance has no dict of its own: __slots__ saves less than one")

    def test_reading_dict_makes_one_more_block_per_instance(self):
        # CPython keeps up to 80 freed dicts for reuse, which tracemalloc does not see:
        # a few of the 10,000 can come from there
        self.assertAlmostEqual(self.plain[3], 1.0, delta=80 / s.N,
                               msg="obj.__dict__ makes the dict the instance did without")
        self.assertGreater(self.plain[2], 0)

    def test_the_dict_a_read_makes_costs_more_than_slots_save(self):
        self.assertGreater(self.plain[2], self.plain[0] - self.slots[0])


if __name__ == "__main__":
    unittest.main()
