"""containers.py: lesson 05's other Python statements, as exact counts.

    containers.py    (no arguments)

bytearray += part: how often the buffer is reallocated for 1 MiB of 16-byte parts
(sys.getsizeof shows the allocation), against one per part for an exact-size realloc.
''.join(parts), and s += part with one reference and with two: how much the heap grew
(tracemalloc: what the loop left allocated) against the string's exact size
(sys.getsizeof), and how far above that the heap went on the way.
"""
import sys
import tracemalloc

PART = b'0123456789abcdef'


def bytearray_resizes(n, part=PART):
    """Append part n times to a bytearray; return its length, its last allocation's size
    (getsizeof) and how many times that size changed."""
    ba, resizes = bytearray(), 0
    size = sys.getsizeof(ba)
    for _ in range(n):
        ba += part
        if sys.getsizeof(ba) != size:
            resizes += 1
            size = sys.getsizeof(ba)
    return len(ba), size, resizes


def join(parts):
    return ''.join(parts)


def one_ref_join(parts):
    """s += part, s a local with no other reference (resized in place in CPython 3.11)."""
    s = ''
    for p in parts:
        s += p
    return s


def two_refs_join(parts):
    """s += part with a second reference: a new string per part."""
    s = t = ''
    for p in parts:
        s += p
        t = s
    del t
    return s


def heap_growth(build, parts):
    """Run build(parts) under tracemalloc; return how many bytes the heap grew by (what
    is left allocated: the result), how far above the start it went on the way, and the
    exact size of the result (sys.getsizeof: header, text and terminator)."""
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        s = build(parts)
        now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return now - before, peak - before, sys.getsizeof(s)


def main(argv):
    if len(argv) != 1:
        print("usage: containers.py (no arguments)", file=sys.stderr)
        return 2
    n = (1 << 20) // len(PART)
    length, size, resizes = bytearray_resizes(n)
    print(f"bytearray += {len(PART)} B, {n:,} times: {resizes} reallocations, "
          f"where an exact-size realloc per part makes {n:,}")
    print(f"  at the end: {length:,} B of text in an allocation of {size:,} B")
    parts = [chr(97 + i % 26) * 10 for i in range(1000)]
    print("1,000 parts of 10 characters joined three ways, under tracemalloc:")
    for name, build in (("''.join(parts)", join),
                        ("s += part, one reference (a local)", one_ref_join),
                        ("s += part, two references", two_refs_join)):
        grew, peak, size = heap_growth(build, parts)
        print(f"  {name:<36} grew {grew:>7,} B   exact size {size:>7,} B   "
              f"above it on the way {peak - grew:>7,} B")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
