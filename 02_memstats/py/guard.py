"""Lesson 02's Python twin of guard.h: every index is checked against the length.

bytearray(16)[16] raises IndexError at the access, as does a memoryview of it: there is
no byte past the end to reach, and a bytearray's spare capacity (it over-allocates as it
grows, sys.getsizeof shows it) cannot be indexed at all.
Run by tools/py.sh 02_memstats guard.py.
"""
import platform
import sys


def attempt(f):
    """f() run: 'no error', or the exception it raised as 'Type: message'."""
    try:
        f()
    except Exception as e:  # the point is to show which one
        return f"{type(e).__name__}: {e}"
    return "no error"


def store(obj, i):
    obj[i] = 0


def appended(n):
    """A bytearray grown by n appends, as a program grows one: it over-allocates."""
    grown = bytearray()
    for _ in range(n):
        grown.append(0)
    return grown


def cases():
    """Each access and what it did."""
    b = bytearray(16)
    m = memoryview(b)
    grown = appended(13)
    return [
        ("b = bytearray(16); b[15]", attempt(lambda: b[15])),
        ("b[16]", attempt(lambda: b[16])),
        ("b[16] = 0", attempt(lambda: store(b, 16))),
        ("memoryview(b)[16]", attempt(lambda: m[16])),
        ("memoryview(b)[16] = 0", attempt(lambda: store(m, 16))),
        ("b[10:20] (a slice is cut to the length)", f"{len(b[10:20])} bytes"),
        (f"g: 13 appends, sys.getsizeof(g) {sys.getsizeof(grown)} B; g[13]",
         attempt(lambda: grown[13])),
    ]


def main():
    if len(sys.argv) > 1:
        print("guard.py: expected no argument", file=sys.stderr)
        sys.exit(2)
    print(f"02_memstats, Python twin (CPython {platform.python_version()}): the bounds check on each access")
    for what, result in cases():
        print(f"  {what:<52} {result}")


if __name__ == "__main__":
    main()
