"""Lesson 04's Python twin of test_xfree.c: an object dropped in another thread leaves its
id to the next object the first thread makes, as one dropped in its own thread does
(xfree.py). Run by make test-04 (tools/twins.sh). Exact on CPython 3.11 and 3.13:
pymalloc's pools are the interpreter's, not a thread's, and under the GIL the block freed
last is the next handed out, whichever thread freed it; nothing else of object()'s size
is made between the drop and the next object (the barrier's and id()'s objects are
larger), so every trial agrees.
"""
import sys
import unittest

import xfree

K = 500


class CrossThreadFree(unittest.TestCase):
    def setUp(self):
        if sys.version_info[:2] not in ((3, 11), (3, 13)):
            self.skipTest("measured on CPython 3.11 and 3.13")

    def test_an_object_dropped_in_another_thread_leaves_its_id_to_the_next_one_every_time(self):
        same = xfree.trials(K, other_thread=True)
        self.assertEqual(same, K, f"CPython {sys.version_info[:2]}: {same} of {K} trials "
                         "found the new object at the id of one dropped in the worker")

    def test_an_object_dropped_in_its_own_thread_does_the_same(self):
        same = xfree.trials(K, other_thread=False)
        self.assertEqual(same, K, f"CPython {sys.version_info[:2]}: {same} of {K} trials "
                         "found the new object at the id of one dropped in the same thread")


if __name__ == "__main__":
    unittest.main()
