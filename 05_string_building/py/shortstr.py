"""shortstr.py: where a CPython str keeps its characters, and which strs cost nothing.

    shortstr.py    (no arguments)

A str made at run time is one block: the object's header and its characters together,
whatever the length (tracemalloc: the blocks the making line allocated, against
sys.getsizeof). There is no inline buffer and no separate heap buffer to move to: the
length is fixed when the object is made. The empty string and the 256 one-character
strings of Latin-1 are made once, at start-up, and s[i] of such a character hands back
the cached object: no allocation at all.
"""
import platform
import sys
import tracemalloc

LENGTHS = (2, 15, 31, 32, 100, 1000)


def traced(make):
    """Call make() under tracemalloc; return its result and the sizes of the blocks
    make's own line allocated and still holds (a lambda: its one line)."""
    tracemalloc.start()
    try:
        before = tracemalloc.take_snapshot()
        obj = make()
        after = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
    where = [tracemalloc.Filter(True, make.__code__.co_filename, make.__code__.co_firstlineno)]
    if before.filter_traces(where).traces:
        raise RuntimeError("the line allocated before make() ran")
    return obj, [t.size for t in after.filter_traces(where).traces]


def made_at_run_time(n):
    """A str of n characters built now (n >= 2: "x" * 1 is "x" itself)."""
    part = 'x' * (n // 2)
    rest = 'y' * (n - n // 2)
    return traced(lambda: part + rest)


def char_of(s, i):
    """s[i], traced."""
    return traced(lambda: s[i])


def slice_of(s, i, j):
    """s[i:j], traced."""
    return traced(lambda: s[i:j])


def main():
    print(f"05_string_building, Python twin (CPython {platform.python_version()}): "
          "where a str keeps its characters")
    print("a str made at run time (a + b), the blocks its line allocated (tracemalloc):")
    print(f"  {'length':>8} {'blocks':>8} {'bytes':>8} {'sys.getsizeof':>15}")
    for n in LENGTHS:
        s, sizes = made_at_run_time(n)
        print(f"  {n:>8,} {len(sizes):>8} {sum(sizes):>8,} {sys.getsizeof(s):>15,}")
    ascii_text = 'user:42'
    c, sizes = char_of(ascii_text, 0)
    again, _ = char_of('u' + ascii_text, 0)
    print(f"s[i] of an ASCII str: {len(sizes)} blocks; "
          f"the same object every time: {'yes' if c is again else 'no'}")
    e, sizes = slice_of(ascii_text, 3, 3)
    print(f"s[i:i], the empty string: {len(sizes)} blocks; it is '': {'yes' if e is str() else 'no'}")
    wide = '\u0101\u0101'
    c, sizes = char_of(wide, 0)
    print(f"s[i] of '\u0101' (U+0101, past Latin-1): {len(sizes)} block of {sum(sizes)} bytes "
          f"(sys.getsizeof {sys.getsizeof(c)});\n"
          f"  the same object every time: {'yes' if c is char_of(wide, 1)[0] else 'no'}")


if __name__ == '__main__':
    sys.exit(main())
