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
"""
import collections
import functools
import platform
import sys
import tracemalloc

CAP = 1000
MISSES = (100, 1000)  # misses into a full cache, each row


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
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
