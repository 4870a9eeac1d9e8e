"""pause.py: the worst insert of a dict filled key by key and of a list appended to.

    pause.py             where each resizes (sys.getsizeof read after every insert)
    pause.py --time      each insert timed too, in rounds

A dict resizes all at once: the insert that finds its table full builds one of about
twice the size and moves every entry into it. A list's append grows its array by about
1/8 when it is full, by realloc: for a big array glibc's realloc of an mmap'd block is an
mremap, which moves no byte (lesson 01's "Growing a big block"). sys.getsizeof changes at
exactly the inserts that resize, so the positions are found without timing anything, and
the slowest inserts are named by whether they were one of them. The times:
time.perf_counter_ns around each insert, the cyclic collector off (gc.disable), the
median over the rounds and the spread (fastest - slowest round); and each insert at its
least time over the rounds, which a pause of the machine's own does not reach.
"""
import gc
import platform
import sys
import time

N = 1_000_000
ROUNDS = 5


def resize_points(kind, n):
    """The inserts (numbered from 1) after which sys.getsizeof of the dict or list changed."""
    c = {} if kind == "dict" else []
    size, points = sys.getsizeof(c), []
    for i in range(n):
        if kind == "dict":
            c[i] = i
        else:
            c.append(i)
        now = sys.getsizeof(c)
        if now != size:
            points.append(i + 1)
            size = now
    return points


def timed_inserts(kind, n):
    """Each of n inserts' time in ns, list index i for the insert numbered i + 1."""
    ns = [0] * n  # made before any insert is timed
    now = time.perf_counter_ns
    if kind == "dict":
        d = {}
        for i in range(n):
            t0 = now()
            d[i] = i
            ns[i] = now() - t0
    else:
        a = []
        for i in range(n):
            t0 = now()
            a.append(i)
            ns[i] = now() - t0
    return ns


def dur(ns):
    if ns >= 1e6:
        return f"{ns / 1e6:.2f} ms"
    if ns >= 1e3:
        return f"{ns / 1e3:.1f} us"
    return f"{ns:.0f} ns"


def spread(values):
    s = sorted(values)
    return f"{dur(s[len(s) // 2])} ({dur(s[0])} - {dur(s[-1])})"


def round_stats(ns):
    """median, 99.9th percentile, worst, and the worst's number."""
    s = sorted(ns)
    n = len(ns)
    return (s[(n - 1) // 2], s[(n * 999 + 999) // 1000 - 1], s[-1],
            max(range(n), key=ns.__getitem__) + 1)


def slowest(least, numbers):
    """The slowest of the inserts numbered in numbers, at its least time: (time, number)."""
    return max((least[i - 1], i) for i in numbers)


def counts(n):
    print(f"03_benchmem, Python twin (CPython {platform.python_version()}): the worst insert")
    print(f"{n:,} inserts from empty: where sys.getsizeof changes (a resize)")
    for kind in ("dict", "list"):
        points = resize_points(kind, n)
        shown = ", ".join(f"{p:,}" for p in points[-4:])
        print(f"  {kind:4}  {len(points):3} resizes, the last four at insert {shown}")


def timing(n, rounds):
    print(f"03_benchmem, Python twin (CPython {platform.python_version()}): the worst insert")
    print(f"{n:,} inserts from empty, each timed (time.perf_counter_ns around it), gc off,")
    print(f"{rounds} rounds of each, alternated: the median over the rounds (fastest - slowest round)")
    resizes = {kind: resize_points(kind, n) for kind in ("dict", "list")}
    got = {kind: [] for kind in resizes}
    least = {}
    gc.disable()
    try:
        for r in range(rounds):
            for kind in resizes:
                ns = timed_inserts(kind, n)
                got[kind].append(round_stats(ns))
                least[kind] = ns if r == 0 else list(map(min, least[kind], ns))
    finally:
        gc.enable()
    print(f"  {'':5} {'median insert':24} {'99.9th percentile':24} {'worst insert':24}")
    for kind, rs in got.items():
        print(f"  {kind:5} {spread([r[0] for r in rs]):24} {spread([r[1] for r in rs]):24} "
              f"{spread([r[2] for r in rs]):24}")
    print("each insert at its least time over the rounds (the same insert does the same work in")
    print("every round; a pause of the machine's own falls on another insert each time): the")
    print("slowest that resized and the slowest other, with its number")
    for kind in resizes:
        at = set(resizes[kind])
        rt, ri = slowest(least[kind], at)
        ot, oi = slowest(least[kind], (i for i in range(1, n + 1) if i not in at))
        print(f"  {kind:5} {len(at):3} resizes {dur(rt):>10} at {ri:>9,}   others {dur(ot):>10} at {oi:>9,}")
    print("the worst insert of each round: its number, and whether it resized:")
    for kind, rs in got.items():
        at = set(resizes[kind])
        print(f"  {kind:5} " + "  ".join(f"{r[3]:,} ({'resize' if r[3] in at else 'no'})" for r in rs))


def main(argv):
    if argv not in ([], ["--time"]):
        print(f"pause.py: unknown arguments {' '.join(argv)} (usage: pause.py [--time])", file=sys.stderr)
        return 2
    if argv:
        timing(N, ROUNDS)
    else:
        counts(N)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
