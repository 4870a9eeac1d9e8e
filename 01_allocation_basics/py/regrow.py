"""Lesson 01's Python twin of make mremap-01: a big buffer grown past its size.

Run by `make py-01` (tools/py.sh). A bytearray keeps its bytes in a block from CPython's
allocator, which hands a block this big to the C library's malloc, and grows it with
realloc: past glibc's mmap threshold, an mremap that moves the pages and copies none. A
bytes object cannot grow: bs + b"x" is a new object, every byte copied in. Each row is
the minor page faults (resource.getrusage) of one growth; test_regrow.py pins the
bounds. Transparent huge pages are off for the process (prctl PR_SET_THP_DISABLE,
through ctypes), so each fault is one base page.
"""
import ctypes
import platform
import resource

MIB = 1 << 20
SIZES = (32 * MIB, 64 * MIB)
PAGE = resource.getpagesize()
PR_SET_THP_DISABLE = 41


def thp_off():
    """No transparent huge pages for this process: every fault maps one base page."""
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0)


def faults():
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


def written(n):
    """A bytearray of n bytes with a byte of every page set to its page number."""
    b = bytearray(n)
    for i in range(0, n, PAGE):
        b[i] = (i // PAGE) & 0xFF
    return b


def intact(b, n):
    return all(b[i] == (i // PAGE) & 0xFF for i in range(0, n, PAGE))


def bytearray_append(n):
    """Minor faults of one append to a full bytearray of n bytes, and whether its bytes
    came through."""
    b = written(n)
    before = faults()
    b.append(1)
    grown = faults() - before
    return grown, intact(b, n)


def bytes_concat(n):
    """Minor faults of bs + b"x", bs a bytes object of n bytes, and whether the new
    object's bytes match."""
    bs = bytes(written(n))
    before = faults()
    c = bs + b"x"
    grown = faults() - before
    return grown, intact(c, n)


WAYS = [
    ("bytearray.append(1)", bytearray_append, "realloc: no page written"),
    ('bs + b"x" (bytes)', bytes_concat, "a new object: every page written"),
]


def main():
    thp_off()
    bytearray_append(SIZES[0])  # the interpreter's own first faults on this path
    bytes_concat(SIZES[0])
    print(f"01_allocation_basics, Python twin (CPython {platform.python_version()}): a buffer grown "
          f"by one byte, {PAGE // 1024} KiB pages")
    print(f"  {'':22} {'size':>7} {'page faults':>12}  {'old bytes':9}  {'its pages':>9}")
    for name, grow, note in WAYS:
        for n in SIZES:
            f, ok = grow(n)
            print(f"  {name:22} {n // MIB:4d} MiB {f:12,d}  {'intact' if ok else 'CHANGED':9}  "
                  f"{n // PAGE:9,}   {note}")


if __name__ == "__main__":
    main()
