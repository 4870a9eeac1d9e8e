"""A dict has no size hint (mapgrow.py), as relations: it resizes at a handful of key
counts, each to a larger table; built key by key, by a comprehension or by fromkeys of a
list it holds the old table and the new one at its peak; dict.fromkeys of a set and a copy
of a dict are sized once. Sizes come from sys.getsizeof and tracemalloc, never typed: they
hold on CPython 3.11 and 3.13 alike (both resize at the same key counts)."""
import sys
import unittest

from mapgrow import WAYS, resize_points, traced

N = 20_000


class ResizePoints(unittest.TestCase):
    def test_a_dict_grows_in_a_few_steps_each_to_a_bigger_table(self):
        points = resize_points(N)
        self.assertLess(len(points), 20, "a resize per power of two, not per key")
        for (k0, _, after0), (k1, before1, after1) in zip(points, points[1:]):
            self.assertEqual(before1, after0, "each step starts where the last one ended")
            self.assertGreater(after1, before1)
            self.assertGreaterEqual(k1, 2 * k0 - 1, f"keys {k0} and {k1}: the steps double")
        self.assertEqual(points[-1][2], sys.getsizeof(dict.fromkeys(range(N))))

    def test_adding_keys_between_two_resize_points_costs_nothing(self):
        points = resize_points(N)
        k0, k1 = points[-2][0], points[-1][0]
        d = dict.fromkeys(range(k0))
        size = sys.getsizeof(d)
        for k in range(k0, k1 - 1):
            d[k] = None
        self.assertEqual(sys.getsizeof(d), size, f"keys {k0} to {k1 - 1} fit the same table")


class WaysToBuild(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        keys = list(range(N))
        cls.got = {}
        for what, build, prepare in WAYS:
            d, _, peak = traced(build, prepare(keys))
            cls.got[what] = (len(d), sys.getsizeof(d), peak)

    def test_every_way_ends_with_the_same_dict(self):
        sizes = {(n, size) for n, size, _ in self.got.values()}
        self.assertEqual(len(sizes), 1, f"one length and size: {self.got}")

    def test_key_by_key_a_comprehension_and_fromkeys_of_a_list_hold_two_tables_at_the_peak(self):
        for what in list(self.got)[:3]:
            _, size, peak = self.got[what]
            self.assertGreater(peak, size * 1.4, f"{what}: the old table beside the new one")

    def test_fromkeys_of_a_set_and_a_copy_of_a_dict_are_sized_once(self):
        for what in list(self.got)[3:]:
            _, size, peak = self.got[what]
            self.assertLessEqual(peak, size * 1.01, f"{what}: one table, made at its size")


if __name__ == "__main__":
    unittest.main()
