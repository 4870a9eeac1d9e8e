"""Deleting keys does not shrink a dict (mapshrink.py), as relations: after the deletes
sys.getsizeof and tracemalloc say the same bytes as before; a copy of the survivors is
sized for them; new keys take fresh entries until the table's run out, and the resize
that follows sizes the table for the keys held then, not for the deleted ones. Sizes come
from sys.getsizeof and tracemalloc, never typed: they hold on CPython 3.11 and 3.13
alike."""
import sys
import unittest

from mapgrow import resize_points
from mapshrink import COPIES, N, deleted, filled, resizes, steps

EVERY = 100


class DeleteAndCopy(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.rows, d = steps(N, EVERY)
        cls.kept = len(d)

    def test_deleting_keys_leaves_the_size_and_the_traced_bytes_as_they_were(self):
        (_, full, traced_full), (_, left, traced_left) = self.rows[:2]
        self.assertEqual(self.kept, N // EVERY)
        self.assertEqual(left, full, "sys.getsizeof after the deletes")
        for what, size, traced in self.rows[:2]:
            self.assertAlmostEqual(traced / size, 1.0, delta=0.01, msg=f"{what}: tracemalloc")
        self.assertAlmostEqual(traced_left / traced_full, 1.0, delta=0.01,
                               msg="tracemalloc saw nothing freed by the deletes")

    def test_every_copy_of_the_survivors_is_sized_for_them(self):
        alone = sys.getsizeof(filled([k for k in range(N) if k % EVERY == 0]))
        full = self.rows[0][1]
        self.assertEqual(len(self.rows), 2 + len(COPIES))
        for what, size, traced in self.rows[2:]:
            self.assertEqual(size, alone, f"{what}: the size of a dict of the kept keys alone")
            self.assertLess(size * 50, full, f"{what}: under 2% of the full dict")
            self.assertAlmostEqual(traced / size, 1.0, delta=0.01, msg=f"{what}: tracemalloc")


class InsertAfterDeletes(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        new_keys = list(range(N, 4 * N))
        cls.full = sys.getsizeof(filled(range(N)))
        cls.plain = resizes(deleted(N, EVERY), new_keys)
        cls.churn = resizes(deleted(N, EVERY), new_keys, churn=True)
        # where a dict grown key by key leaves the full dict's size: its entries run out
        cls.out_of_entries = next(k for k, before, _ in resize_points(4 * N) if before == cls.full)

    def test_new_keys_take_no_deleted_entry_the_resize_comes_when_the_entries_run_out(self):
        added, held, before, _ = self.plain[0]
        self.assertEqual(before, self.full)
        self.assertEqual(N + added, self.out_of_entries,
                         "the deleted keys' entries count as used until the resize")
        self.assertEqual(held, N // EVERY + added)

    def test_the_first_resize_does_not_grow_the_dict_the_next_comes_when_live_keys_fill_it(self):
        # keys held then: 3/4 of the full dict's at N = 100,000, so the same size; the dict
        # grows at the next resize, once the new keys alone fill it
        self.assertLessEqual(self.plain[0][3], self.full)
        last_added, last_held, before, after = self.plain[-1]
        self.assertGreater(after, before, "the loop stops at the first change of size")
        self.assertEqual(last_held, self.out_of_entries, "then a full table of live keys")

    def test_with_each_new_key_deleted_again_the_resize_shrinks_the_dict(self):
        self.assertEqual(len(self.churn), 1, "one resize, and it changes the size")
        added, held, before, after = self.churn[0]
        self.assertEqual(added, self.plain[0][0], "the same entries run out at the same key")
        self.assertEqual(held, N // EVERY + 1)
        self.assertEqual(before, self.full)
        self.assertLess(after * 50, self.full, "sized for the keys held, under 2% of the full")


if __name__ == "__main__":
    unittest.main()
