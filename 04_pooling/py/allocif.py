"""allocif.py: the caller passes the buffer, in CPython (make allocif-04's question).

    allocif.py        each call measured with tracemalloc (run by make py-04)

Python has no allocator parameter either: every object comes from the interpreter's
allocator. What the caller can choose is whether a call makes a new object for its
result or writes into one the caller made and reuses: f.read(n) returns a new bytes of n,
f.readinto(buf) fills buf; struct.pack returns a new bytes, struct.pack_into writes into a
bytearray. K calls of each, the results kept in a list (the list's own bytes taken out),
then dropped as they come (the traced peak above the start). Figures are tracemalloc's,
never typed.
"""
import io
import itertools
import platform
import struct
import tracemalloc

K = 1000     # calls per measurement
SIZE = 4096  # bytes per read
FORMAT = "<QQ"


def _traced():
    return tracemalloc.get_traced_memory()[0]


def kept(call, k=K):
    """Bytes traced after k calls of call(), their results kept in a list, less the bytes of
    a list of k None built the same way: what the results themselves hold."""
    def grow(fn):
        before = _traced()
        results = [fn() for _ in itertools.repeat(None, k)]
        after = _traced()
        del results
        return after - before
    return grow(call) - grow(lambda: None)


def dropped_peak(call, k=K):
    """The traced peak above the start over k calls of call(), each result dropped, less
    the same loop's with a call that makes nothing."""
    def peak(fn):
        tracemalloc.reset_peak()
        before = _traced()
        for _ in itertools.repeat(None, k):
            fn()
        return tracemalloc.get_traced_memory()[1] - before
    return peak(call) - peak(lambda: None)


def calls(size=SIZE, k=K):
    """The four calls, each with what it reads from or writes into: (name, call)."""
    f = io.BytesIO(bytes(size * k))
    buf = bytearray(size)
    out = bytearray(struct.calcsize(FORMAT))

    def read():
        if f.tell() == size * k:
            f.seek(0)
        return f.read(size)

    def readinto():
        if f.tell() == size * k:
            f.seek(0)
        return f.readinto(buf)

    return [
        (f"f.read({size}) from an io.BytesIO", read),
        (f"f.readinto(buf), buf = bytearray({size})", readinto),
        (f"struct.pack('{FORMAT}', 1, 2)", lambda: struct.pack(FORMAT, 1, 2)),
        (f"struct.pack_into('{FORMAT}', out, 0, 1, 2)",
         lambda: struct.pack_into(FORMAT, out, 0, 1, 2)),
    ]


def measure(size=SIZE, k=K):
    """[(name, kept bytes, dropped peak)] for the four calls, each warmed up once."""
    rows = []
    for name, call in calls(size, k):
        call()
        rows.append((name, kept(call, k), dropped_peak(call, k)))
    return rows


def main():
    tracemalloc.start()
    rows = measure()
    tracemalloc.stop()
    print(f"04_pooling, Python twin (CPython {platform.python_version()}): "
          "a new object per call, or the caller's buffer")
    print(f"{K:,} calls each; the bytes tracemalloc traces above the start, "
          "the measurement's own taken out:")
    print(f"  {'call':44} {'results kept':>14} {'dropped: peak':>14}")
    for name, keep, peak in rows:
        print(f"  {name:44} {keep:>+12,} B {peak:>+12,} B")


if __name__ == "__main__":
    main()
