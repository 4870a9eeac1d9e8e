"""mapshrink.py: deleting keys does not shrink a dict. The twin of maptab_del, maptab_shrink
and demo/mapshrink.c.

    mapshrink.py    (no arguments)

N keys put one by one, then all deleted but 1 in 100: the dict's size (sys.getsizeof)
after each step, and what tracemalloc traced for it, as a multiple of that size (its own
figure moves by a few bytes from run to run, the ratio does not). Then the survivors
copied three ways, and what each copy holds. Then new keys added to the dict the deletes
left, one by one, until its size changes: CPython resizes a dict when its entries run
out, deleted ones included, and sizes the new table from the keys it holds. The keys are
made before tracing starts, so only the dicts' own memory is traced.
"""
import platform
import sys
import tracemalloc

N = 100_000
EVERY = 100  # key k is kept when k is a multiple of it
TABLE_AT_LEAST = 1024  # bytes: a dict of 1,000 keys or more allocates more for a table


def filled(keys):
    """keys put one by one, as a dict grows in a program."""
    d = {}
    for k in keys:
        d[k] = None
    return d


def delete_all_but(d, keys, every=EVERY):
    for k in keys:
        if k % every != 0:
            del d[k]


# (what, how the survivors are copied)
COPIES = (
    ("d.copy()", lambda d: d.copy()),
    ("dict(d)", dict),
    ("{k: v for k, v in d.items()}", lambda d: {k: v for k, v in d.items()}),
)


def traced(make, *args):
    """make(*args) under tracemalloc: (what it returned, the bytes it left traced)."""
    tracemalloc.start()
    try:
        made = make(*args)
        held, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return made, held


def deleted(n=N, every=EVERY):
    """A dict of keys 0..n-1 put one by one, all deleted but 1 in every."""
    keys = list(range(n))
    d = filled(keys)
    delete_all_but(d, keys, every)
    return d


def steps(n=N, every=EVERY):
    """[(what, getsizeof, traced bytes)] for the full dict, after the deletes, and for each
    copy of the survivors; and the dict the deletes left."""
    keys = list(range(n))
    tracemalloc.start()
    try:
        d = filled(keys)
        full, _ = tracemalloc.get_traced_memory()
        rows = [(f"{n:,} keys put one by one", sys.getsizeof(d), full)]
        delete_all_but(d, keys, every)
        left, _ = tracemalloc.get_traced_memory()
        rows.append((f"all deleted but {len(d):,} (1 in {every})", sys.getsizeof(d), left))
    finally:
        tracemalloc.stop()
    for what, copy in COPIES:
        c, held = traced(copy, d)
        rows.append((what, sys.getsizeof(c), held))
    return rows, d


def resizes(d, new_keys, churn=False):
    """Add new_keys to d one by one (with churn, each deleted again right after it is
    added) until sys.getsizeof(d) changes: [(new keys added, keys held, size before, size
    after)] at each resize. A resize is seen by tracemalloc: its peak rises by the new
    table beside the old one (nothing else the loop does allocates more than a few bytes:
    the keys exist already), and a resize to the same size leaves getsizeof as it was."""
    out = []
    tracemalloc.start()
    try:
        for i, k in enumerate(new_keys):
            size = sys.getsizeof(d)
            held, _ = tracemalloc.get_traced_memory()
            d[k] = None
            _, peak = tracemalloc.get_traced_memory()
            if peak - held >= TABLE_AT_LEAST:
                out.append((i + 1, len(d), size, sys.getsizeof(d)))
                tracemalloc.reset_peak()
            if churn:
                del d[k]
            if out and out[-1][3] != out[-1][2]:
                break
    finally:
        tracemalloc.stop()
    return out


def main():
    print(f"03_benchmem, Python twin (CPython {platform.python_version()}): deleting keys does "
          "not shrink a dict")
    rows, d = steps()
    kept = len(d)
    del d
    print("the dict's bytes by sys.getsizeof, and tracemalloc's as a multiple of them (the keys")
    print("made before tracing starts):")
    print(f"  {'dict':<40} {'getsizeof':>11} {'traced / getsizeof':>19}")
    for what, size, held in rows:
        print(f"  {what:<40} {size:>11,} {held / size:>19.2f}")
    new_keys = list(range(N, 3 * N))
    for churn in (False, True):
        print(f"new keys added to the {kept:,} left, one by one"
              f"{', each deleted again' if churn else ''}, until sys.getsizeof changes:")
        print(f"  {'resize':>6} {'at new key':>11} {'keys held':>10} {'bytes before':>13} {'after':>11}")
        for n, (added, held, before, after) in enumerate(resizes(deleted(), new_keys, churn)):
            print(f"  {n + 1:>6} {added:>11,} {held:>10,} {before:>13,} {after:>11,}")


if __name__ == "__main__":
    main()
