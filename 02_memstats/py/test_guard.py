"""Lesson 02's Python twin of test_guard.c: every index is checked against the length.

Run by make test-02 (tools/twins.sh). bytearray(n)[n] raises IndexError, read or written,
and so does a memoryview of it; a bytearray grown by appends holds spare bytes
(sys.getsizeof says so) that no index reaches. The same on CPython 3.11 and 3.13.
"""
import sys
import unittest

import guard


class Bounds(unittest.TestCase):
    def test_the_index_one_past_the_length_raises_index_error(self):
        for n in (1, 13, 16, 1000):
            b = bytearray(n)
            b[n - 1] = 1
            with self.assertRaisesRegex(IndexError, "bytearray index out of range"):
                b[n]
            with self.assertRaisesRegex(IndexError, "bytearray index out of range"):
                b[n] = 0
            self.assertEqual(len(b), n, "a failed store leaves the length as it was")

    def test_a_memoryview_has_the_same_bound(self):
        for n in (1, 16, 1000):
            with memoryview(bytearray(n)) as m:
                m[n - 1] = 1
                with self.assertRaisesRegex(IndexError, "index out of bounds on dimension 1"):
                    m[n]
                with self.assertRaisesRegex(IndexError, "index out of bounds on dimension 1"):
                    m[n] = 0

    def test_spare_capacity_from_appends_is_not_reachable(self):
        grown = guard.appended(13)
        self.assertGreater(sys.getsizeof(grown), sys.getsizeof(bytearray(13)),
                           "appends over-allocate: more bytes held than bytearray(13)")
        with self.assertRaises(IndexError):
            grown[13]
        self.assertEqual(len(grown[10:100]), 3, "a slice is cut to the length")

    def test_the_table_shows_an_error_past_the_length(self):
        results = [result for _, result in guard.cases()]
        self.assertEqual(results[0], "no error")
        for r in results[1:5] + results[6:]:
            self.assertTrue(r.startswith("IndexError: "), r)


if __name__ == "__main__":
    unittest.main()
