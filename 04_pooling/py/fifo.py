"""fifo.py: a FIFO on a hot path, in CPython: collections.deque against a list.

    fifo.py           the deque's blocks, measured with tracemalloc (run by make py-04)
    fifo.py --time    draining a list with pop(0) against a deque with popleft, timed

(Not named queue.py: run from py/, it would hide the standard library's queue module.)

A deque keeps its items in blocks of a fixed number of slots, linked both ways, and
takes a block when the last one fills: the block's size and where a new one is taken are
measured here (tracemalloc, sys.getsizeof), never typed. A warm deque, used in bursts no bigger than it has held,
allocates nothing. A list keeps its items in one array: pop(0) moves every item behind
the first, so draining n items moves about n * n / 2 of them.
"""
import collections
import itertools
import platform
import statistics
import sys
import time
import tracemalloc

BURST = 64       # items pushed, then popped, per burst (as bench.c's QUEUE_BURST)
BURSTS = 10_000  # bursts through a warm deque
DRAIN = (10_000, 20_000, 40_000)  # list lengths drained by pop(0)
RUNS = 5


def traced():
    return tracemalloc.get_traced_memory()[0]


def deque_bytes(n):
    """Bytes tracemalloc traces for deque() and n items appended one at a time (None: no
    object of their own), above where it started. The measurement's own few bytes are the
    same for every n: differences between two n are the deque's alone."""
    before = traced()
    d = collections.deque()
    for _ in itertools.repeat(None, n):
        d.append(None)
    after = traced()
    del d
    return after - before


def least_bytes(n, tries=3):
    """deque_bytes(n), the least of a few tries: the runtime allocates a little of its own
    now and then, never less."""
    return min(deque_bytes(n) for _ in range(tries))


def blocks_at(limit=300):
    """The items at which a deque, appended to one at a time, takes a new block: where
    sys.getsizeof (the object and its blocks, CPython's own count) grows."""
    d, steps = collections.deque(), []
    last = sys.getsizeof(d)
    for n in range(1, limit + 1):
        d.append(None)
        if sys.getsizeof(d) != last:
            steps.append(n)
            last = sys.getsizeof(d)
    return steps


def steady(bursts=BURSTS, burst=BURST):
    """A deque warmed by one burst, then `bursts` more: the traced bytes, current and peak,
    above where they started, less the same loop's with no burst (the measurement's own)."""
    def run(k):
        d = collections.deque(itertools.repeat(None, burst))
        d.clear()
        r = range(burst)
        tracemalloc.reset_peak()
        before = traced()
        for _ in range(k):
            for _ in r:
                d.append(None)
            for _ in r:
                d.popleft()
        current, peak = tracemalloc.get_traced_memory()
        return current - before, peak - before

    run(bursts)  # warm-up
    base, busy = run(0), run(bursts)
    return busy[0] - base[0], busy[1] - base[1]


def drain_list(n):
    q = list(range(n))
    t = time.perf_counter()
    while q:
        q.pop(0)
    return time.perf_counter() - t


def drain_deque(n):
    q = collections.deque(range(n))
    t = time.perf_counter()
    while q:
        q.popleft()
    return time.perf_counter() - t


def ms(runs):
    return statistics.median(runs) * 1e3, min(runs) * 1e3, max(runs) * 1e3


def counts():
    tracemalloc.start()
    steps = blocks_at()
    empty = least_bytes(0)
    block = least_bytes(steps[1]) - least_bytes(steps[1] - 1)
    points = [0, steps[0] - 1] + [x for n in steps[:3] for x in (n, n + steps[1] - steps[0] - 1)]
    rows = []
    for n in points:
        rows.append((n, least_bytes(n) - empty))
    moved, peak = steady()
    tracemalloc.stop()
    print(f"04_pooling, Python twin (CPython {platform.python_version()}): collections.deque")
    print(f"an empty deque: {sys.getsizeof(collections.deque()):,} B (sys.getsizeof: the object "
          "and its first block)")
    print("items appended one at a time, and the bytes tracemalloc traces above the empty deque:")
    for n, b in rows:
        print(f"  {n:>5} items  {b:>6,} B  = {b // block} x {block:,} B")
    print(f"a block: {block:,} B, taken at item {steps[0]} and then every "
          f"{steps[1] - steps[0]} items ({', '.join(str(n) for n in steps)}, ...)")
    print(f"{BURSTS:,} bursts of {BURST} appends then {BURST} poplefts through a warm deque:")
    print(f"  traced bytes after: {moved:+,} B; peak above the start: {peak:+,} B")


def timings():
    print(f"04_pooling, Python twin (CPython {platform.python_version()}): draining a queue of n "
          f"items, median of {RUNS} runs (min - max)")
    print(f"  {'n':>8}  {'list.pop(0)':<30}{'deque.popleft()'}")
    for n in DRAIN:
        lm, ll, lh = ms([drain_list(n) for _ in range(RUNS)])
        dm, dl, dh = ms([drain_deque(n) for _ in range(RUNS)])
        cell = f"{lm:.2f} ms ({ll:.2f} - {lh:.2f})"
        print(f"  {n:>8,}  {cell:<30}{dm:.2f} ms ({dl:.2f} - {dh:.2f})")


def main(argv):
    if argv not in ([], ["--time"]):
        print("usage: fifo.py [--time]", file=sys.stderr)
        return 2
    if argv:
        timings()
    else:
        counts()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
