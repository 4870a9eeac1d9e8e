"""containers.py: lesson 05's other Python statements, as exact counts.

    containers.py    (no arguments)

bytearray += part: how often the buffer is reallocated for 1 MiB of 16-byte parts
(sys.getsizeof shows the allocation), against one per part for an exact-size realloc.
''.join(parts): the size of the result against the size of its text.
"""
import sys

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


def join_spare(parts):
    """The bytes ''.join(parts) holds beyond its text and an empty str's header."""
    s = ''.join(parts)
    return sys.getsizeof(s) - sys.getsizeof('') - len(s)


def main(argv):
    if len(argv) != 1:
        print("usage: containers.py (no arguments)", file=sys.stderr)
        return 2
    n = (1 << 20) // len(PART)
    length, size, resizes = bytearray_resizes(n)
    print(f"bytearray += {len(PART)} B, {n:,} times: {resizes} reallocations, "
          f"where an exact-size realloc per part makes {n:,}")
    print(f"  at the end: {length:,} B of text in an allocation of {size:,} B")
    parts = ['abcdefghij'] * 1000
    print(f"''.join of 1,000 parts of 10 characters: {join_spare(parts)} bytes of spare room")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
