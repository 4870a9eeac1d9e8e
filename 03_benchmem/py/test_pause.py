"""The worst insert (pause.py), what is not a timing: sys.getsizeof changes at exactly the
inserts CPython's growth rules say, a dict when its usable entries (2/3 of a power-of-two
table) run out, a list when it is full, to (n + n // 8 + 6) rounded down to a multiple of
4 slots; and the timed program prints its rows. Worked out from the rules, never typed:
they hold on CPython 3.11 and 3.13 alike."""
import contextlib
import io
import unittest

from pause import resize_points, timing

N = 100_000


def dict_rule(n):
    """The inserts that resize a dict filled from empty: the first (a table of 8 slots),
    then each that finds the table's usable entries, 2/3 of its 2**k slots, all taken (the
    new table holds 3 times the keys, rounded up to a power of two: the next one)."""
    points, slots = [1], 8
    while (2 * slots) // 3 + 1 <= n:
        points.append((2 * slots) // 3 + 1)
        slots *= 2
    return points


def list_rule(n):
    """The appends that resize a list grown from empty: each that finds it full; newsize
    n + 1 then gets (newsize + newsize // 8 + 6) & ~3 slots (Objects/listobject.c)."""
    points, allocated = [], 0
    for size in range(1, n + 1):
        if size > allocated:
            points.append(size)
            allocated = (size + (size >> 3) + 6) & ~3
    return points


class ResizePoints(unittest.TestCase):
    def test_a_dict_resizes_exactly_when_its_usable_entries_run_out(self):
        self.assertEqual(resize_points("dict", N), dict_rule(N))

    def test_a_list_resizes_exactly_when_full_by_an_eighth_more(self):
        self.assertEqual(resize_points("list", N), list_rule(N))

    def test_a_dict_resizes_log2_times_a_list_about_eight_log2_times(self):
        d, a = len(dict_rule(N)), len(list_rule(N))
        self.assertLess(d, 20, "a dict doubles its table")
        self.assertGreater(a, 4 * d, "a list grows by an eighth: many more, smaller steps")


class Program(unittest.TestCase):
    def test_the_timed_run_prints_each_row_and_names_each_worst_insert(self):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            timing(2000, 1)
        lines = out.getvalue().splitlines()
        for kind in ("dict", "list"):
            rows = [l for l in lines if l.startswith(f"  {kind} ")]
            self.assertEqual(len(rows), 3, f"{kind}: the times, the slowest, the worst: {rows}")
            self.assertRegex(rows[1], r"resizes .* at +[0-9,]+ +others .* at +[0-9,]+$")
            self.assertRegex(rows[2], r"\((resize|no)\)$")


if __name__ == "__main__":
    unittest.main()
