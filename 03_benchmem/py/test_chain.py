"""Chaining or open addressing in Python (chain.py), as relations: a filled dict holds one
block, however many keys; a chained table of Node objects holds a block per key, and a few
of its own; the dict's sys.getsizeof changes at its resizes only, a
handful of times for N keys. Counts come from tracemalloc and sys.getsizeof, never typed:
they hold on CPython 3.11 and 3.13 alike."""
import sys
import unittest

from chain import N, ChainTable, blocks_of, buckets_for, dict_sizes, fill_chain, fill_dict

KEYS = list(range(1 << 40, (1 << 40) + N))


class Blocks(unittest.TestCase):
    def test_a_dict_holds_one_block_and_a_chained_table_one_per_key(self):
        d, db, _, _, _ = blocks_of(fill_dict, KEYS)
        t, cb, _, nb, nbytes = blocks_of(fill_chain, KEYS)
        self.assertEqual(len(d), N)
        self.assertEqual(db, 1, "the dict's table: one block, the keys and values inline")
        self.assertEqual(nb, N, "one Node block per key")
        node = sys.getsizeof(t.heads[hash(KEYS[0]) & (len(t.heads) - 1)])
        self.assertEqual(nbytes, N * node, "each Node block is sys.getsizeof of a Node")
        # Besides the nodes, the table's own few blocks (its list's items, its count, the
        # object: which of them come from a free list made before tracing differs by
        # release, so only their number is bounded).
        self.assertTrue(N < cb <= N + 4, f"{cb} blocks: the nodes and at most 4 more")

    def test_the_chained_table_finds_every_key_put_and_no_other(self):
        t = ChainTable()
        for k in KEYS:
            t.put(k, k + 1)
        t.put(KEYS[7], 0)  # a key put again replaces its value, no node
        self.assertEqual(t.count, N)
        self.assertEqual(len(t.heads), buckets_for(N))
        for i, k in enumerate(KEYS):
            self.assertEqual(t.get(k), 0 if i == 7 else k + 1)
        self.assertIsNone(t.get(KEYS[-1] + 1))


class Resizes(unittest.TestCase):
    def test_a_dict_changes_size_at_its_resizes_not_per_key(self):
        sizes, at = dict_sizes(KEYS)
        self.assertLessEqual(len(at), N.bit_length() + 1,
                             f"at most one resize per doubling: {len(at)} changes for {N} keys")
        self.assertEqual(sizes, sorted(sizes), "each change grows the dict")
        for before, after in zip(at[1:], at[2:]):
            self.assertGreater(after, before * 3 // 2, "the resizes come at growing counts")


if __name__ == "__main__":
    unittest.main()
