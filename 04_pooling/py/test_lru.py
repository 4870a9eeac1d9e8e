"""Lesson 04's Python twin of test_lru.c: functools.lru_cache, when full, reuses the
evicted entry (no block per miss); an OrderedDict LRU allocates a node per miss; neither
allocates on a hit (lru.py); the one large block both leave is their dict's table, rebuilt
when a plain dict churned the same way rebuilds its own. Run by make test-04
(tools/twins.sh). Measured on CPython 3.11 and 3.13: the same blocks on both.
"""
import sys
import unittest

import lru

VERSIONS = ((3, 11), (3, 13))
SMALL = lru.LARGE  # an entry is smaller than this; a dict's table for lru.CAP keys larger


class LruCache(unittest.TestCase):
    def test_misses_into_a_full_cache_leave_no_new_entry_block(self):
        for m in (10, 100, 1000):
            sizes = lru.count(lru.make_lru_cache, m)
            small = {s: n for s, n in sizes.items() if s < SMALL}
            self.assertEqual(small, {}, f"{m} misses: new blocks below {SMALL} B: the link "
                             "was not reused")
            self.assertLessEqual(sum(sizes.values()), 2,
                                 f"{m} misses: {sizes}: a table or two, not a block per miss")

    def test_a_hundred_misses_allocate_nothing_that_stays(self):
        self.assertEqual(lru.count(lru.make_lru_cache, 100), {})

    def test_hits_allocate_nothing_that_stays(self):
        self.assertEqual(lru.count(lru.make_lru_cache, lru.CAP, hits=True), {})


class OrderedDictLRU(unittest.TestCase):
    def node(self, m):
        sizes = lru.count(lru.OrderedDictLRU, m)
        size, n = max(sizes.items(), key=lambda x: x[1])
        self.assertEqual(n, m, f"{m} misses: {sizes}: want one node per miss")
        self.assertLess(size, SMALL)
        self.assertLessEqual(sum(sizes.values()) - m, 2,
                             f"{m} misses: {sizes}: more than a node per miss and two tables")
        return size

    def test_each_miss_into_a_full_cache_allocates_a_node_of_one_size(self):
        sizes = {self.node(m) for m in (10, 100, 1000)}
        self.assertEqual(len(sizes), 1, f"the node's size moved: {sizes}")
        if sys.version_info[:2] in VERSIONS:
            self.assertEqual(sizes, {32}, f"CPython {sys.version_info[:2]}: the node's size")

    def test_hits_allocate_nothing_that_stays(self):
        self.assertEqual(lru.count(lru.OrderedDictLRU, lru.CAP, hits=True), {})


class TheLargeBlock(unittest.TestCase):
    """The one large block 1,000 misses leave in both caches is their map's table, rebuilt
    at the step where a plain dict churned the same way rebuilds its own."""

    def test_a_churned_dict_rebuilds_its_table_larger_though_it_holds_as_many_keys(self):
        step, before, after = lru.dict_churn()
        self.assertIsNotNone(step, "no rebuild in 1,000 steps of churn")
        self.assertGreater(after, before, "rebuilt no larger")
        if sys.version_info[:2] in VERSIONS:
            self.assertEqual((step, before, after), (366, 36888, 73744),
                             f"CPython {sys.version_info[:2]}: the step and the two tables")

    def test_the_caches_large_block_appears_at_that_step_and_is_that_table(self):
        step, _, after = lru.dict_churn()
        self.assertEqual(lru.large(lru.count(lru.make_lru_cache, step - 1)), {})
        self.assertEqual(lru.large(lru.count(lru.make_lru_cache, step)), {after: 1})
        self.assertEqual(lru.large(lru.count(lru.OrderedDictLRU, step - 1)), {})
        sizes = lru.large(lru.count(lru.OrderedDictLRU, step))
        self.assertEqual(sizes.get(after), 1, f"{sizes}: the dict's table")
        self.assertEqual(sum(sizes.values()), 2, f"{sizes}: the table and one more of its own")


if __name__ == "__main__":
    unittest.main()
