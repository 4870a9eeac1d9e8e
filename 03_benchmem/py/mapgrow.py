"""mapgrow.py: a dict has no size hint. Where it resizes as keys are added, and whether
dict.fromkeys or a dict comprehension skips the sizes in between.

    mapgrow.py    (no arguments)

sys.getsizeof(d) read after every key added one by one gives the resize points: the key
count at which the dict took a bigger table, and its size before and after. Then N keys
put five ways, under tracemalloc: what the dict holds at the end, and the peak on the way
(a resize holds the old table and the new one at once, as a growing C table does), as a
multiple of the final size: tracemalloc's peak moves by a few bytes from run to run, the
ratio does not. The keys are made before tracing starts, so only the dicts' own memory is
traced.
"""
import platform
import sys
import tracemalloc

N = 100_000


def resize_points(n):
    """Add keys 0..n-1 one by one: [(keys, size before, size after)] at each change."""
    d, points = {}, []
    size = sys.getsizeof(d)
    for k in range(n):
        d[k] = None
        now = sys.getsizeof(d)
        if now != size:
            points.append((k + 1, size, now))
            size = now
    return points


def by_loop(keys):
    d = {}
    for k in keys:
        d[k] = None
    return d


def by_comprehension(keys):
    return {k: None for k in keys}


# (what, how the dict is built from its input, how the input is made from the keys list:
# before tracing starts, so that it is not counted)
WAYS = (
    ("d[k] = None, one key at a time", by_loop, list),
    ("{k: None for k in keys}", by_comprehension, list),
    ("dict.fromkeys(keys), keys a list", dict.fromkeys, list),
    ("dict.fromkeys(s), s a set of the keys", dict.fromkeys, set),
    ("dict(d), a copy of a whole dict", dict, dict.fromkeys),
)


def traced(build, given):
    """build(given) under tracemalloc: (the dict, bytes held after, peak on the way)."""
    tracemalloc.start()
    try:
        d = build(given)
        held, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return d, held, peak


def main():
    print(f"03_benchmem, Python twin (CPython {platform.python_version()}): a dict has no size hint")
    print(f"keys 0..{N - 1:,} added one by one: where sys.getsizeof(d) changes (an empty dict is "
          f"{sys.getsizeof({})} B)")
    print(f"  {'at key':>8} {'bytes before':>13} {'after':>11}")
    points = resize_points(N)
    for keys, before, after in points:
        print(f"  {keys:>8,} {before:>13,} {after:>11,}")
    print(f"  {len(points)} resizes for {N:,} keys")
    keys = list(range(N))
    print(f"{N:,} keys, the dict built five ways; tracemalloc's peak while building it (the keys")
    print("made before), as a multiple of the dict's final size:")
    print(f"  {'way':<40} {'getsizeof':>11} {'peak / getsizeof':>17}")
    for what, build, prepare in WAYS:
        d, _, peak = traced(build, prepare(keys))
        print(f"  {what:<40} {sys.getsizeof(d):>11,} {peak / sys.getsizeof(d):>17.2f}")
        del d


if __name__ == "__main__":
    main()
