"""Lesson 04's Python twin of test_lru.c: functools.lru_cache, when full, reuses the
evicted entry (no block per miss); an OrderedDict LRU allocates a node per miss; neither
allocates on a hit (lru.py). Run by make test-04 (tools/twins.sh). Measured on CPython 3.11
and 3.13: the same blocks on both.
"""
import sys
import unittest

import lru

VERSIONS = ((3, 11), (3, 13))
SMALL = 1024  # an entry is smaller than this; a dict's table for lru.CAP keys larger


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


if __name__ == "__main__":
    unittest.main()
