"""Chaining or open addressing in Python: N keys into a dict, and into a chained table of
small node objects written in Python (a node per key, the same growth rule as chaintab.h),
with tracemalloc: the blocks each holds when filled, and the dict's sys.getsizeof, which
moves in steps at its resizes, not per key. The keys and values are made before tracing
starts, so what is traced is the tables alone. The twin of chaintab.h and demo/chain.c."""
import platform
import sys
import tracemalloc

N = 10000
MIN_BUCKETS = 8  # chaintab.h's CHAINTAB_MIN_BUCKETS


class Node:
    """One key of a ChainTable: an object of its own, as chaintab.h mallocs a node."""
    __slots__ = ("key", "val", "next")

    def __init__(self, key, val, nxt):
        self.key, self.val, self.next = key, val, nxt


def buckets_for(n):
    """chaintab_buckets_for: the smallest power of two from MIN_BUCKETS at least n."""
    b = MIN_BUCKETS
    while n > b:
        b *= 2
    return 0 if n == 0 else b


class ChainTable:
    """chaintab.h in Python: a list of bucket heads, doubled past one key per bucket,
    the nodes relinked into the new list."""
    __slots__ = ("heads", "count")

    def __init__(self):
        self.heads, self.count = [], 0

    def put(self, key, val):
        heads = self.heads
        if heads:
            p = heads[hash(key) & (len(heads) - 1)]
            while p is not None:
                if p.key == key:
                    p.val = val  # a key held already: no node
                    return
                p = p.next
        want = buckets_for(self.count + 1)
        if want > len(heads):
            new = [None] * want
            for p in heads:
                while p is not None:
                    nxt, b = p.next, hash(p.key) & (want - 1)
                    p.next, new[b] = new[b], p
                    p = nxt
            self.heads = heads = new
        b = hash(key) & (len(heads) - 1)
        heads[b] = Node(key, val, heads[b])  # the node per key: NODE_LINE
        self.count += 1

    def get(self, key, default=None):
        if self.heads:
            p = self.heads[hash(key) & (len(self.heads) - 1)]
            while p is not None:
                if p.key == key:
                    return p.val
                p = p.next
        return default


def node_line():
    """The line of this file that makes a Node in ChainTable.put."""
    with open(__file__) as f:
        return next(i for i, line in enumerate(f, 1) if line.rstrip().endswith(": NODE_LINE"))


def blocks_of(fill, keys):
    """The table fill(keys) makes, the blocks and bytes tracemalloc sees live in it
    (everything allocated in this file while filling and still held when done), and the
    blocks and bytes of those made by the Node line."""
    tracemalloc.start()
    try:
        t = fill(keys)
        snap = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
    here = [s for s in snap.statistics("lineno") if s.traceback[0].filename == __file__]
    nodes = [s for s in here if s.traceback[0].lineno == node_line()]
    return (t, sum(s.count for s in here), sum(s.size for s in here),
            sum(s.count for s in nodes), sum(s.size for s in nodes))


def fill_dict(keys):
    d = {}
    for k in keys:
        d[k] = k
    return d


def fill_chain(keys):
    t = ChainTable()
    for k in keys:
        t.put(k, k)
    return t


def dict_sizes(keys):
    """sys.getsizeof of a dict after each key put: the sizes it takes, in order, and how
    many keys it held at each change."""
    d, sizes, at = {}, [sys.getsizeof({})], []
    for i, k in enumerate(keys, 1):
        d[k] = k
        s = sys.getsizeof(d)
        if s != sizes[-1]:
            sizes.append(s)
            at.append(i)
    return sizes, at


def main():
    keys = list(range(1 << 40, (1 << 40) + N))  # ints made before tracing, none cached
    print(f"03_benchmem, Python twin (CPython {platform.python_version()}): a dict against a "
          f"chained table of Node objects")
    print(f"{N:,} int keys, each its own value, made before tracing; tracemalloc's live "
          f"blocks and bytes after the fill:")
    _, db, dbytes, _, _ = blocks_of(fill_dict, keys)
    t, cb, cbytes, nb, nbytes = blocks_of(fill_chain, keys)
    print(f"  {'':34} {'blocks':>8} {'bytes':>12} {'bytes/key':>10}")
    print(f"  {'dict':34} {db:8,} {dbytes:12,} {dbytes / N:10.1f}")
    print(f"  {'chained table, a Node per key':34} {cb:8,} {cbytes:12,} {cbytes / N:10.1f}")
    print(f"  {'  of which the Node objects':34} {nb:8,} {nbytes:12,} {nbytes / N:10.1f}")
    print(f"  a Node (__slots__ key, val, next): sys.getsizeof {sys.getsizeof(Node(0, 0, None))} bytes; "
          f"the table's list of {len(t.heads):,} heads: {sys.getsizeof(t.heads):,}")
    sizes, at = dict_sizes(keys)
    print(f"the dict's sys.getsizeof over the {N:,} puts: {len(at)} changes, at keys "
          + ", ".join(f"{i:,}" for i in at))


if __name__ == "__main__":
    main()
