"""Lesson 01's Python twin: what each of the README's Python lines allocates.

Run by `make py-01` (tools/py.sh). Every figure is measured here, with tracemalloc (the
blocks and bytes a statement leaves live) or with `is` (whether a new object was made at
all); test_allocations.py pins each one.
"""
import array
import io
import platform
import sys
import tracemalloc

N = 100_000  # values per row; tracemalloc slows every allocation down


def live(make):
    """The blocks and bytes that make() leaves live, as tracemalloc traces them."""
    ignore = [tracemalloc.Filter(False, tracemalloc.__file__)]
    tracemalloc.start()
    try:
        before = tracemalloc.take_snapshot().filter_traces(ignore)
        kept = make()
        after = tracemalloc.take_snapshot().filter_traces(ignore)
    finally:
        tracemalloc.stop()
    diff = after.compare_to(before, "filename")
    del kept
    return sum(s.count_diff for s in diff), sum(s.size_diff for s in diff)


def list_sizes(n):
    """The sizes a list's item array takes over n appends (sys.getsizeof, header
    included), in order: one realloc per change."""
    lst, sizes = [], [sys.getsizeof([])]
    for i in range(n):
        lst.append(i)
        if sys.getsizeof(lst) != sizes[-1]:
            sizes.append(sys.getsizeof(lst))
    return sizes


def list_resizes(n):
    """How many times a list grows its item array over n appends."""
    return len(list_sizes(n)) - 1


def last_growth(n):
    """The factor of the last growth step on the way to n elements: the capacities are
    the sizes less the empty list's header, in pointers."""
    sizes = list_sizes(n)
    header = sys.getsizeof([])
    return (sizes[-1] - header) / (sizes[-2] - header)


def same_object(a, b):
    return a is b


def small_ints(n):
    """n references to the cached ints 0..255: the list is the only new block."""
    return [i % 256 for i in range(n)]


def large_ints(n):
    """n distinct ints from 1,000 up: one object each, like a box per value."""
    return [1000 + i for i in range(n)]


def main():
    print(f"01_allocation_basics, Python twin (CPython {platform.python_version()}): "
          "blocks and bytes left live, tracemalloc")
    s = "user000042,7919"

    print("\nstrings: a copy, or the same object")
    print(f"  s[:] is s                      {same_object(s[:], s)}")
    print(f"  s[:len(s)] is s                {same_object(s[:len(s)], s)}")
    print(f"  str(s) is s                    {same_object(str(s), s)}")
    print(f"  s[:4] is s                     {same_object(s[:4], s)}   (a new str of 4 characters)")
    b = s.encode()
    print(f"  bytes: b[:] is b               {same_object(b[:], b)}")
    a = bytearray(b)
    print(f"  bytearray: a[:] is a           {same_object(a[:], a)}   (mutable: a copy)")

    fmt = "  {:<36} {:>10} {:>12}  {}"
    print("\nobjects: blocks and bytes left live")
    print(fmt.format("", "blocks", "bytes", "").rstrip())

    def row(name, make, note):
        blocks, size = live(make)
        print(fmt.format(name, f"{blocks:,}", f"{size:,}", note).rstrip())

    row(f"[i % 256 for i in range({N:,})]", lambda: small_ints(N), "the list: the ints -5..256 are cached")
    row(f"[1000 + i for i in range({N:,})]", lambda: large_ints(N), "the list and an int object each")
    row(f"array.array('q', range({N:,}))", lambda: array.array("q", range(N)), "the values in one buffer")
    row(f"[0] * {N:,}", lambda: [0] * N, "one item array, sized once")
    row("s[:4]", lambda: s[:4], "a new str")
    row("s.split(',')", lambda: s.split(","), "the list and a str per field")
    row("f'user{42:06d}'", lambda: f"user{42:06d}", "a new str")
    lines = "".join(f"user{i:06d},{i}\n" for i in range(1000))
    row("list(io.StringIO(text)), 1,000 lines", lambda: list(io.StringIO(lines)),
        "the list and a str per line")

    print("\ngrowing a list")
    print(f"  {N:,} appends: the item array grew {list_resizes(N)} times, "
          f"the last time by x{last_growth(N):.3f} (over-allocation)")
    try:
        bytearray(1 << 62)
    except MemoryError:
        print("  bytearray(1 << 62): MemoryError, caught like any exception")


if __name__ == "__main__":
    main()
