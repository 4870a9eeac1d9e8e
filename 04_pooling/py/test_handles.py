"""Lesson 04's Python twin of test_handles.c: a kept index into a list reused as a pool
reads the slot's new object; a weak reference to a removed object returns None; each
weakref.ref to an object without one allocates one block, a second ref to the same object
none (handles.py). Run by make test-04 (tools/twins.sh). Exact on CPython 3.11 and 3.13:
reference counting frees the object when its last reference goes.
"""
import sys
import unittest

import handles

REF_SIZE = {(3, 11): 80, (3, 13): 80}  # a weakref block, as tracemalloc measured it


class StaleReference(unittest.TestCase):
    def test_a_kept_index_reads_the_object_that_reused_the_slot(self):
        i1, i2, read = handles.stale_index()
        self.assertEqual((i1, i2, read), (0, 0, 2), "the index kept reads object 2")

    def test_a_weak_reference_to_a_removed_object_returns_none(self):
        gone, new_id = handles.stale_weakref()
        self.assertIsNone(gone, "object 1 was freed with its last reference")
        self.assertEqual(new_id, 2)


class WeakrefCost(unittest.TestCase):
    def test_each_first_ref_to_an_object_is_one_block_of_one_size(self):
        sizes, _ = handles.ref_blocks()
        self.assertEqual(len(sizes), 1, f"{sizes}: want one block size")
        (size, n), = sizes.items()
        self.assertEqual(n, handles.N, f"{sizes}: want one block per ref")
        want = REF_SIZE.get(sys.version_info[:2])
        if want is not None:
            self.assertEqual(size, want, f"CPython {sys.version_info[:2]}: a ref's block")

    def test_a_second_ref_to_the_same_object_is_the_first_and_allocates_nothing(self):
        sizes, same = handles.ref_blocks(again=True)
        self.assertEqual(sizes, {}, "a ref without a callback is shared")
        self.assertEqual(same, handles.N)


if __name__ == "__main__":
    unittest.main()
