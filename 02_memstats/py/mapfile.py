"""Lesson 02's Python twin of mapfile.h: one job on a whole file three ways, traced.

The job: count the lines and the bytes, and fold the bytes into a CRC-32 (zlib, which
reads any buffer without copying it; FNV-1a a byte at a time would be a Python loop).
  f.read()      the whole file in one bytes object: tracemalloc's peak is the file
  mmap.mmap     the file mapped: the bytes are the kernel's pages, not Python's heap
  for line in f a text file a line at a time: the file object's buffer, and a str per
                line that lives until the next one
  list(f)       every line kept: a str object each, its header on top of its characters
Run by `make py-02` (tools/py.sh 02_memstats mapfile.py [KIB]).
"""
import mmap
import os
import platform
import sys
import tempfile
import tracemalloc
import zlib

import args

LETTERS = b"the quick brown fox jumps over the lazy dog, and back again: "


def make_file(n, dir=None):
    """A file of n bytes of lines, the C side's pattern; returns its path."""
    fd, path = tempfile.mkstemp(prefix="mapfile-py-", dir=dir or os.environ.get("TMPDIR") or "/var/tmp")
    with os.fdopen(fd, "wb") as f:
        left, i = n, 0
        while left > 0:
            line = b"%08d %s\n" % (i, LETTERS[:i * 7 % 61])
            f.write(line[:left])
            left -= min(len(line), left)
            i += 1
    return path


def read_whole(path):
    with open(path, "rb") as f:
        data = f.read()
    return len(data), data.count(b"\n"), zlib.crc32(data)


def mapped(path):
    """mmap.mmap refuses an empty file (ValueError), as mmap(2) refuses a length of 0."""
    with open(path, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as m:
        lines, at = 0, m.find(b"\n")
        while at >= 0:
            lines += 1
            at = m.find(b"\n", at + 1)
        return len(m), lines, zlib.crc32(m)


def by_lines(path):
    n = lines = crc = 0
    with open(path, encoding="ascii", newline="") as f:
        for line in f:
            n += len(line)
            lines += line.endswith("\n")
            crc = zlib.crc32(line.encode("ascii"), crc)
    return n, lines, crc


def keep_lines(path):
    with open(path, encoding="ascii", newline="") as f:
        return list(f)


def traced(fn, *args):
    """fn(*args) under tracemalloc: (its result, the peak traced while it ran)."""
    tracemalloc.start()
    try:
        result = fn(*args)
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def kept(path):
    """list(f) traced: (the lines, the blocks still traced and their bytes)."""
    tracemalloc.start()
    try:
        lines = keep_lines(path)
        snap = tracemalloc.take_snapshot().filter_traces([tracemalloc.Filter(True, __file__)])
    finally:
        tracemalloc.stop()
    stats = snap.statistics("filename")
    return lines, sum(s.count for s in stats), sum(s.size for s in stats)


def commas(n):
    return f"{n:,}"


def main():
    kib = args.number("mapfile.py", "KIB", 1024, 1, 262144, "a file size in KiB")
    path = make_file(kib << 10)
    try:
        print(f"02_memstats, Python twin (CPython {platform.python_version()}): one job three ways "
              f"on a file of {commas(kib)} KiB")
        print(f"  {'way':<34} {'traced peak':>12}  result")
        results = []
        for name, fn in (("f.read()", read_whole), ("mmap.mmap(f.fileno(), 0)", mapped),
                         ("for line in f (text)", by_lines)):
            result, peak = traced(fn, path)
            results.append(result)
            same = "the same" if result == results[0] else "DIFFERENT (a bug)"
            print(f"  {name:<34} {commas(peak):>12}  {same}")
        size, lines, crc = results[0]
        print(f"  {commas(size)} bytes, {commas(lines)} lines, CRC-32 {crc:08x}")
        kept_lines, blocks, nbytes = kept(path)
        chars = sum(len(line) for line in kept_lines)
        print(f"list(f), every line kept: {commas(blocks)} blocks of {commas(nbytes)} B traced for "
              f"{commas(len(kept_lines))} lines of {commas(chars)} characters")
        print(f"  a str's header: sys.getsizeof('') = {sys.getsizeof('')} B, on each line")
    finally:
        os.unlink(path)


if __name__ == "__main__":
    main()
