"""Lesson 01's Python twin of demo/factor, pinned: the list's layout that factor.py reads,
its capacities worked out from CPython's rule (list_resize: newsize + newsize // 8 + 6,
rounded down to a multiple of 4, in 3.11 and 3.13 alike), and the moves it reports
counted over its growths. Whether a given growth moves is the allocator's: pymalloc
below 512 bytes, glibc's realloc above; only its bounds are pinned.

Run by make test-01 (tools/twins.sh) with Debian's /usr/bin/python3.
"""
import sys
import unittest

import factor as fa


def model_caps(n):
    """The capacities list_resize picks while n items are appended one at a time."""
    caps, room = [], 0
    for size in range(1, n + 1):
        if size > room:
            room = (size + (size >> 3) + 6) & ~3
            caps.append(room)
    return caps


class Layout(unittest.TestCase):
    def test_ob_size_and_ob_item_are_where_factor_reads_them(self):
        for n in (1, 5, 1000):
            lst = list(range(n))
            self.assertTrue(fa.layout_holds(lst), n)

    def test_an_empty_list_has_no_array(self):
        self.assertEqual(fa.ob_item([]), 0)

    def test_sys_getsizeof_is_the_header_and_a_pointer_per_allocated_item(self):
        lst = []
        lst.append(None)
        self.assertEqual(sys.getsizeof(lst), fa.HEADER + fa.POINTER * fa.allocated(lst))


class Growth(unittest.TestCase):
    def test_the_capacities_are_list_resizes(self):
        for n in (1, 17, 1000, 100_000):
            caps, _ = fa.grow(n)
            self.assertEqual(caps, model_caps(n), n)

    def test_each_growth_after_the_first_says_whether_it_moved(self):
        caps, moved = fa.grow(100_000)
        self.assertEqual(len(moved), len(caps) - 1)
        self.assertLessEqual(sum(moved), len(moved))

    def test_the_factor_tends_to_one_and_an_eighth(self):
        caps = model_caps(1_000_000)
        for a, b in zip(caps[-10:], caps[-9:]):
            self.assertAlmostEqual(b / a, 1.125, places=3)


if __name__ == "__main__":
    unittest.main()
