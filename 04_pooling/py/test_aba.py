"""Lesson 04's Python twin of test_aba.c's heap replay: the id() of an object just freed is
the next object's (aba.py). Run by make test-04 (tools/twins.sh). Exact on CPython 3.11
and 3.13: pymalloc hands back the block freed last, and nothing else of object()'s size
is made between the two calls (id()'s int is larger), so every trial agrees; with the
first object alive, no trial can.
"""
import sys
import unittest

import aba

K = 10_000


class IdReuse(unittest.TestCase):
    def test_the_next_object_takes_the_id_of_one_just_freed_every_time(self):
        if sys.version_info[:2] not in ((3, 11), (3, 13)):
            self.skipTest("measured on CPython 3.11 and 3.13")
        same = aba.dropped(K)
        self.assertEqual(same, K, f"CPython {sys.version_info[:2]}: {same} of {K} trials "
                         "found the new object at the freed one's id")

    def test_two_objects_alive_together_never_share_an_id(self):
        same = aba.kept(K)
        self.assertEqual(same, 0, f"{same} of {K} trials found two live objects at one id")


if __name__ == "__main__":
    unittest.main()
