"""Lesson 01's Python twin of matrix.h, pinned: each line the README states about a 2-D
array in Python. Sizes come from sys.getsizeof, not typed in: they hold on CPython 3.11
and 3.13 alike.

Run by make test-01 (tools/twins.sh) with Debian's /usr/bin/python3.
"""
import array
import sys
import unittest

import matrix as mx

SHAPES = [(1, 1), (3, 5), (10, 10), (100, 3), (1000, 1000)]
EMPTY_LIST = sys.getsizeof([])
POINTER = 8  # a list holds a pointer per item


class ListOfRows(unittest.TestCase):
    def test_a_list_of_rows_is_rows_plus_one_lists(self):
        for rows, cols in SHAPES:
            self.assertEqual(mx.lists_in(mx.rows_of_lists(rows, cols)), rows + 1, (rows, cols))

    def test_each_row_is_a_header_and_cols_pointers(self):
        for rows, cols in SHAPES:
            for row in mx.rows_of_lists(rows, cols):
                self.assertEqual(sys.getsizeof(row), EMPTY_LIST + POINTER * cols, (rows, cols))

    def test_the_outer_list_grown_by_the_comprehension_holds_room_for_more(self):
        for rows, cols in SHAPES:
            self.assertGreaterEqual(sys.getsizeof(mx.rows_of_lists(rows, cols)), EMPTY_LIST + POINTER * rows)

    def test_a_write_changes_one_element(self):
        m = mx.rows_of_lists(3, 4)
        m[0][0] = 1.0
        self.assertEqual(sum(row.count(1.0) for row in m), 1)


class SharedRow(unittest.TestCase):
    """[[0.0] * cols] * rows: the outer * copies the reference to one row, rows times."""

    def test_it_is_two_lists_whatever_the_rows(self):
        for rows, cols in SHAPES:
            m = mx.shared_row(rows, cols)
            self.assertEqual(mx.lists_in(m), 2, (rows, cols))
            self.assertTrue(all(row is m[0] for row in m))
            self.assertEqual(sys.getsizeof(m), EMPTY_LIST + POINTER * rows)

    def test_writing_one_element_changes_the_whole_column(self):
        m = mx.shared_row(3, 4)
        m[0][0] = 1.0
        self.assertEqual([row[0] for row in m], [1.0, 1.0, 1.0])
        self.assertEqual(sum(row.count(1.0) for row in m), 3, "one write, seen in every row")


class Flat(unittest.TestCase):
    def test_an_array_of_doubles_is_one_object_of_8_bytes_a_value_and_a_header(self):
        header = sys.getsizeof(array.array("d"))
        for rows, cols in SHAPES:
            m = mx.flat(rows, cols)
            self.assertEqual(len(m), rows * cols)
            self.assertEqual(sys.getsizeof(m), header + 8 * rows * cols, (rows, cols))
            self.assertEqual(mx.size_of(m), sys.getsizeof(m))

    def test_the_floats_are_stored_not_pointed_at(self):
        m = mx.flat(2, 3)
        m[1 * 3 + 2] = 5.0
        self.assertEqual(m.itemsize, 8)
        self.assertEqual(list(m), [0.0] * 5 + [5.0])


class Sizes(unittest.TestCase):
    def test_size_of_counts_each_distinct_list_once(self):
        rows, cols = 100, 3
        row = EMPTY_LIST + POINTER * cols
        self.assertEqual(mx.size_of(mx.shared_row(rows, cols)), EMPTY_LIST + POINTER * rows + row)
        m = mx.rows_of_lists(rows, cols)
        self.assertEqual(mx.size_of(m), sys.getsizeof(m) + rows * row)


if __name__ == "__main__":
    unittest.main()
