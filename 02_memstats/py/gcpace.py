"""Lesson 02's Python twin of make gcpace-02: CPython frees at reference count zero.

A live set of L bytes objects of 4,096 bytes stays while G more go through it, each made
and dropped. CPython frees an object the moment its last reference goes, so under
tracemalloc the peak is the live set plus the one object in flight, as C's free gives:
no pacing, no headroom. An object in a reference cycle is the exception: its count never
reaches zero, and it waits for the cycle collector (gc), whose first generation runs after
a number of container allocations (gc.get_threshold()[0]); with gc.disable() it waits
for ever. Lesson 01's reference-counting section shows the cycle itself.
Run by `make py-02` (tools/py.sh); py/test_gcpace.py pins it.
"""
import gc
import itertools
import platform
import sys
import tracemalloc

BLOCK = 4096  # bytes of data per object, GCPACE_BLOCK
LIVE = 256    # objects in the live set, demo/gcpace.c's default
GARBAGE = 2048


def drop_at_once(garbage):
    """Make `garbage` bytes objects, each dropped as soon as it is made. itertools.repeat,
    not range: range makes an int object per step above 256, which would be in flight
    too; and `del`, so that the next object is not made while the last is still bound."""
    for _ in itertools.repeat(None, garbage):
        block = bytes(BLOCK)
        del block


def drop_in_cycles(garbage):
    """The same objects, each in a list that holds itself: a reference cycle, freed only
    when the cycle collector runs."""
    for _ in itertools.repeat(None, garbage):
        cycle = [bytes(BLOCK)]
        cycle.append(cycle)
        del cycle


def peak_over_live(churn, live=LIVE, garbage=GARBAGE, collect=True):
    """Keep `live` objects, then churn `garbage` through them under tracemalloc; returns
    (the peak above the live set in bytes, the live set's bytes, what is still traced
    above it after the churn). collect=False runs the churn with gc disabled. The call
    itself adds a few blocks (the iterator, the frame): garbage_peak subtracts them."""
    gc.collect()
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        keep = [bytes(BLOCK) for _ in itertools.repeat(None, live)]
        live_bytes = tracemalloc.get_traced_memory()[0] - base
        was = gc.isenabled()
        if not collect:
            gc.disable()
        try:
            tracemalloc.reset_peak()
            start = tracemalloc.get_traced_memory()[0]
            churn(garbage)
            now, peak = tracemalloc.get_traced_memory()
        finally:
            if was:
                gc.enable()
        del keep
        return peak - start, live_bytes, now - start
    finally:
        tracemalloc.stop()
        gc.collect()


def garbage_peak(churn, live=LIVE, garbage=GARBAGE, collect=True):
    """What the garbage adds to the peak: peak_over_live with `garbage` objects, less the
    same with none. Returns (added at the peak, still traced after the churn)."""
    none = peak_over_live(churn, live, 0, collect)
    some = peak_over_live(churn, live, garbage, collect)
    return some[0] - none[0], some[2] - none[2]


def main():
    args = sys.argv[1:]
    if len(args) > 2 or not all(a.isdigit() and 1 <= int(a) <= 1 << 20 for a in args):
        print("gcpace.py: LIVE and GARBAGE: expected whole numbers of objects from 1 to 1,048,576",
              file=sys.stderr)
        sys.exit(2)
    live = int(args[0]) if args else LIVE
    garbage = int(args[1]) if len(args) > 1 else GARBAGE
    one = sys.getsizeof(bytes(BLOCK))
    print(f"02_memstats, Python twin (CPython {platform.python_version()}): a live set of "
          f"{live:,} bytes objects of {BLOCK:,} B,")
    print(f"then {garbage:,} more through it: what they add to tracemalloc's peak, and what is")
    print(f"still traced when the last is dropped. One object: {one:,} B (sys.getsizeof);")
    print(f"the collector's first generation runs every {gc.get_threshold()[0]:,} container allocations")
    rows = [
        ("dropped at once", drop_at_once, True),
        ("in cycles, gc on", drop_in_cycles, True),
        ("in cycles, gc.disable()", drop_in_cycles, False),
    ]
    print(f"  {'garbage':<26} {'added to the peak':>19} {'objects':>9} {'left after':>13}")
    for name, churn, collect in rows:
        over, left = garbage_peak(churn, live, garbage, collect)
        print(f"  {name:<26} {over:>17,} B {over / one:>9.2f} {left:>11,} B")


if __name__ == "__main__":
    main()
