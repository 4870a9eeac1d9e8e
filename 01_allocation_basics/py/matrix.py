"""Lesson 01's Python twin of matrix.h: a 2-D array of floats three ways.

Run by `make py-01` (tools/py.sh). A list of row lists is rows + 1 list objects;
[[0.0] * cols] * rows is one row list and rows references to it, so a write to one
element shows in every row; array.array('d') holds the floats themselves in one object.
The counts are the distinct list objects, and the bytes sys.getsizeof's for each object
(the list's header and its array of pointers; the floats they point at not counted);
test_matrix.py pins each one.
"""
import array
import platform
import sys

ROWS, COLS = 1000, 1000  # as make matrix-01


def rows_of_lists(rows, cols):
    """A list of rows lists, each made on its own."""
    return [[0.0] * cols for _ in range(rows)]


def shared_row(rows, cols):
    """The trap: one row list, and the outer list holds it rows times."""
    return [[0.0] * cols] * rows


def flat(rows, cols):
    """One array of rows * cols doubles, m[i * cols + j]."""
    return array.array("d", [0.0]) * (rows * cols)


def lists_in(m):
    """The list objects m is made of: itself and each distinct row."""
    return 1 + len({id(row) for row in m})


def size_of(m):
    """sys.getsizeof of m and of each distinct object in it."""
    if isinstance(m, array.array):
        return sys.getsizeof(m)
    return sys.getsizeof(m) + sum(sys.getsizeof(row) for row in {id(r): r for r in m}.values())


def main():
    print(f"a {ROWS:,} x {COLS:,} matrix of floats (CPython {platform.python_version()}): "
          "objects, and their bytes by sys.getsizeof")
    print(f"  {'':40} {'lists':>6} {'bytes':>10}")
    for name, make in [("[[0.0] * cols for _ in range(rows)]", rows_of_lists),
                       ("[[0.0] * cols] * rows", shared_row)]:
        m = make(ROWS, COLS)
        print(f"  {name:40} {lists_in(m):6,} {size_of(m):10,}")
    name = 'array.array("d", [0.0]) * (rows * cols)'
    print(f"  {name:40} {0:6,} {size_of(flat(ROWS, COLS)):10,}")

    m = shared_row(3, 3)
    m[0][0] = 1.0
    print("\n[[0.0] * 3] * 3, then m[0][0] = 1.0:", m)
    m = rows_of_lists(3, 3)
    m[0][0] = 1.0
    print("[[0.0] * 3 for _ in range(3)], the same:", m)


if __name__ == "__main__":
    main()
