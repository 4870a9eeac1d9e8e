"""sizeclass.py: the block a small object takes in CPython's allocator (make buddy-04's question).

    sizeclass.py    (no arguments; run by make py-04)

Objects of at most 512 bytes come from pymalloc, which rounds each request up to a size
class, a multiple of 16 bytes, and keeps pools of blocks of one class: not powers of two.
N bytes objects of each length are made and kept; the class they landed in is the one
whose "blocks in use" in sys._debugmallocstats() (written to stderr, read back here) rose
by N, give or take the few blocks the interpreter takes or frees meanwhile (a block of
the same class freed during the count makes it N - 1). A request is the
object's sys.getsizeof; the buddy's block is the smallest power of two that holds it, at
least 16 B, as buddy.h with blocks from 16 B. Measured, never typed.
"""
import platform
import re
import sys

from slab import debugmallocstats

N = 1000       # objects of each length
SLACK = 8      # blocks of one class the interpreter may take or free meanwhile
LENGTHS = (1, 15, 16, 31, 32, 63, 64, 100, 200, 400, 479, 480)
BUDDY_MIN = 16


def blocks_in_use():
    """sys._debugmallocstats()'s table of size classes: {class size: blocks in use}."""
    text = debugmallocstats()
    table = {}
    # class, size, num pools, blocks in use, avail blocks
    for m in re.finditer(r"^\s*\d+\s+(\d+)\s+\d+\s+(\d+)\s+\d+\s*$", text, re.M):
        table[int(m.group(1))] = int(m.group(2))
    if not table:
        raise RuntimeError("sys._debugmallocstats() printed no table of size classes")
    return table


def class_of(length, n=N):
    """(sys.getsizeof of a bytes object of that length, the class n of them landed in:
    the one class whose blocks in use rose by n, give or take SLACK, or None when none did,
    as past 512 B, where the objects come from malloc)."""
    before = blocks_in_use()
    objs = [bytes(bytearray(length)) for _ in range(n)]
    after = blocks_in_use()
    size = sys.getsizeof(objs[0])
    rose = [c for c in after if abs(after[c] - before.get(c, 0) - n) <= SLACK]
    del objs
    if len(rose) > 1:
        raise RuntimeError(f"{length} B: more than one class rose by {n}: {rose}")
    return size, rose[0] if rose else None


def buddy_block(n):
    b = BUDDY_MIN
    while b < n:
        b *= 2
    return b


def main():
    print(f"04_pooling, Python twin (CPython {platform.python_version()}): the block a bytes "
          "object takes")
    print(f"{N:,} objects of each length kept; class: the one whose blocks in use rose by "
          f"{N:,}\n(sys._debugmallocstats); buddy: the smallest power of two that holds "
          "getsizeof")
    print(f"  {'length':>7} {'getsizeof':>10} {'class':>7} {'per byte':>9} {'buddy':>7} {'per byte':>9}")
    for length in LENGTHS:
        size, cls = class_of(length)
        block = buddy_block(size)
        if cls is None:
            print(f"  {length:>7} {size:>10} {'-':>7} {'':>9} {block:>7} {block / size:>9.3f}"
                  "   past pymalloc: malloc's")
        else:
            print(f"  {length:>7} {size:>10} {cls:>7} {cls / size:>9.3f} {block:>7} {block / size:>9.3f}")


if __name__ == "__main__":
    main()
