"""lru.py: an LRU cache in CPython, two ways, seen through tracemalloc.

    functools.lru_cache(maxsize=N)    the standard library's, written in C
    an OrderedDict LRU                move_to_end on a hit, popitem(last=False) when full

Each cache is filled with N int keys, then M more operations run: misses (new keys, each
evicting) or hits (keys it holds). The blocks allocated during those M operations and
still live after them are counted, by size: a cache that allocates its entry per miss
holds M new blocks of the entry's size; one that reuses the evicted entry holds none. The
keys and values are int objects made before any measurement, so they are no new block.
Where a block was allocated is read from tracemalloc's traceback (the line that ran the
M operations), never assumed.

Then the one large block that 1,000 misses leave in both caches: a plain dict of N keys
churned as a full LRU churns its map (the oldest key deleted, a new one inserted), its
table's size read after every step (sys.getsizeof, less an empty dict's), and the caches'
large blocks counted just before and at the step where the dict's table was rebuilt.
"""
import collections
import functools
import platform
import sys
import tracemalloc

CAP = 1000
MISSES = (100, 1000)  # misses into a full cache, each row
LARGE = 1024  # an entry's block is smaller; a dict's table for CAP keys is larger


class OrderedDictLRU:
    """The usual Python LRU on an OrderedDict, cache-aside: get() returns the value,
    computing it (the key itself) and putting it on a miss."""

    def __init__(self, cap):
        self.cap = cap
        self.d = collections.OrderedDict()

    def __call__(self, key):
        d = self.d
        if key in d:
            d.move_to_end(key)
            return d[key]
        if len(d) >= self.cap:
            d.popitem(last=False)
        d[key] = key
        return key


def make_lru_cache(cap):
    """A function behind functools.lru_cache(maxsize=cap): its result is its argument."""
    @functools.lru_cache(maxsize=cap)
    def ident(key):
        return key
    return ident


def run(cache, keys):
    for k in keys:
        cache(k)


def fill(cache, keys):
    run(cache, keys)


# The M operations measured: their line is how tracemalloc's traceback tells their blocks
# from the fill's.
def measured(cache, keys):
    run(cache, keys)


MEASURED_LINE = measured.__code__.co_firstlineno + 1


def new_blocks(make, ops, hits=False):
    """Fill a new cache made by make(CAP) with CAP keys, then run `ops` more: misses (new
    keys) or hits. Returns {size: count} of the blocks allocated by those ops and still
    live after them, and the cache (kept alive by the caller until counted)."""
    keys = list(range(10**6, 10**6 + CAP + ops))  # ints above the small-int cache
    cache = make(CAP)
    fill(cache, keys[:CAP])
    measured(cache, keys[:ops] if hits else keys[CAP:CAP + ops])
    where = [tracemalloc.Filter(True, __file__, MEASURED_LINE, all_frames=True)]
    traces = tracemalloc.take_snapshot().filter_traces(where).traces
    sizes = collections.Counter(t.size for t in traces)
    del cache
    return dict(sizes)


def count(make, ops, hits=False):
    """new_blocks in a fresh trace: blocks from an earlier measurement are gone."""
    tracemalloc.start(8)
    try:
        return new_blocks(make, ops, hits)
    finally:
        tracemalloc.stop()


def dict_churn(n=CAP, m=MISSES[-1]):
    """A plain dict of n int keys, filled one key at a time as the caches are, then churned
    m times: its oldest key deleted, a new one inserted, so it always holds n. Returns
    (step, before, after): the first step at which its table's size changed (None if
    none did) and the table's size before and after it, in bytes (sys.getsizeof less an
    empty dict's: the table alone)."""
    keys = list(range(10**6, 10**6 + n + m))
    empty = sys.getsizeof({})
    d = {}
    for k in keys[:n]:
        d[k] = k
    before = sys.getsizeof(d) - empty
    for j in range(m):
        del d[keys[j]]
        d[keys[n + j]] = keys[n + j]
        after = sys.getsizeof(d) - empty
        if after != before:
            assert len(d) == n
            return j + 1, before, after
    return None, before, before


def large(sizes):
    """The blocks of LARGE bytes and more, as {size: count}."""
    return {s: n for s, n in sizes.items() if s >= LARGE}


def by_size(sizes):
    if not sizes:
        return "-"
    return ", ".join(f"{n:,} x {s:,} B" for s, n in sorted(sizes.items(), key=lambda x: (-x[1], x[0])))


def main(argv):
    if argv:
        print("usage: lru.py", file=sys.stderr)
        return 2
    print(f"04_pooling, Python twin (CPython {platform.python_version()}): an LRU cache of "
          f"{CAP:,} int keys, filled,")
    print("then M operations; the blocks they allocated that are still live after them "
          "(tracemalloc):")
    print(f"  {'cache':<24} {'M operations':<16} {'blocks':>7}   by size")
    rows = [("functools.lru_cache", make_lru_cache), ("OrderedDict LRU", OrderedDictLRU)]
    for name, make in rows:
        for m in MISSES:
            sizes = count(make, m)
            print(f"  {name:<24} {f'{m:,} misses':<16} {sum(sizes.values()):>7,}   {by_size(sizes)}")
        sizes = count(make, CAP, hits=True)
        print(f"  {name:<24} {f'{CAP:,} hits':<16} {sum(sizes.values()):>7,}   {by_size(sizes)}")

    step, before, after = dict_churn()
    print()
    print(f"the large block: a plain dict of {CAP:,} int keys, churned as a full LRU churns its map")
    print("(the oldest key deleted, a new one inserted); its table, sys.getsizeof less an empty dict's:")
    if step is None:
        print(f"  {before:,} B, not rebuilt in {MISSES[-1]:,} steps")
        return 0
    print(f"  {before:,} B, rebuilt at step {step:,} as {after:,} B, holding {CAP:,} keys "
          f"all along ({step - 1:,} deleted before it)")
    print(f"the caches' blocks of {LARGE:,} B and more, after {step - 1:,} misses and after {step:,}:")
    for name, make in rows:
        print(f"  {name:<24} {by_size(large(count(make, step - 1))):<16} "
              f"{by_size(large(count(make, step)))}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
