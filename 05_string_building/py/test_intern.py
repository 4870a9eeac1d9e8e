"""Interning in CPython (intern.py), as counts: split makes one object per name, equal or
not; sys.intern makes one per distinct value; once a value is interned, more copies of it
cost the list's pointers alone. Sizes come from sys.getsizeof, never typed: they hold on
CPython 3.11 and 3.13 alike (3.13's str header is smaller; the relations stay)."""
import sys
import unittest

from intern import (CITIES, auto_interned, distinct_objects, interned_again, interned_names,
                    split_names, text_of)

N = 20_000


class SplitNames(unittest.TestCase):
    def test_equal_names_split_from_one_text_are_separate_objects(self):
        k = len(CITIES)
        names, _ = split_names(text_of(N, k))
        self.assertEqual(distinct_objects(names), N, "one object per name, equal or not")
        self.assertEqual(names[0], names[k])
        self.assertIsNot(names[0], names[k], "equal, but two objects")

    def test_tracemalloc_counts_every_names_block(self):
        names, held = split_names(text_of(N, 16))
        strs = sum(sys.getsizeof(s) for s in names)
        self.assertGreaterEqual(held, strs, "every str is a block of its own")
        self.assertLessEqual(held, strs + sys.getsizeof(names), "the strs and the list, no more")


class InternedNames(unittest.TestCase):
    def test_sys_intern_leaves_one_object_per_distinct_name(self):
        for k in (1, 16, 1000, N):
            names, _ = interned_names(text_of(N, k))
            self.assertEqual(distinct_objects(names), min(N, k), f"K = {k}")
            if k < N:
                self.assertIs(names[0], names[k], f"K = {k}: records 0 and {k} share one object")

    def test_interned_names_hold_the_distinct_strs_and_less_than_split(self):
        text = text_of(N, 16)
        _, split_held = split_names(text)
        names, held = interned_names(text)
        distinct = {id(s): s for s in names}.values()
        self.assertGreaterEqual(held, sum(sys.getsizeof(s) for s in distinct), "the 16 strs are held")
        self.assertLess(held, split_held, "16 strs and a list hold less than 20,000 strs and a list")

    def test_once_interned_more_copies_cost_the_list_alone(self):
        for k in (16, N):
            names, held = interned_again(text_of(N, k))
            self.assertLessEqual(held, sys.getsizeof(names), f"K = {k}: no str kept, only the list")


class WhatCPythonInternsByItself(unittest.TestCase):
    def test_identifier_literals_and_single_characters_but_not_other_literals_or_run_time_strings(self):
        got = [same for _, same in auto_interned()]
        self.assertEqual(got, [True, False, False, True])


if __name__ == "__main__":
    unittest.main()
