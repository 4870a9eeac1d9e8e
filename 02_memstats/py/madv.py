"""Lesson 02's Python twin of madv.h: giving pages back.

mmap.mmap(-1, n, flags=mmap.MAP_PRIVATE) maps private anonymous memory, the C demo's
region; m.madvise(mmap.MADV_DONTNEED) or MADV_FREE gives its pages back as C's madvise
does. The module has no name for MADV_PAGEOUT (on 3.11 and 3.13); its number, 21 on Linux,
passes through. mmap.mmap(-1, n) without flags is MAP_SHARED, shared memory: MADV_FREE is
refused there (EINVAL), and MADV_DONTNEED only unmaps the pages, which stay in the shared
memory object with their bytes. Then CPython's own allocator: a list of small objects
dropped, and what the whole process's Anonymous and LazyFree do (/proc/self/smaps_rollup).
The thread is pinned to one CPU while it measures, and MADV_FREE is given twice: the kernel
flags lazily free pages through per-CPU batches, and the second call drains the first's.
Run by tools/py.sh 02_memstats madv.py [MIB].
"""
import ctypes
import errno
import gc
import mmap
import os
import platform
import resource

import args

PAGE = mmap.PAGESIZE
MADV_PAGEOUT = 21  # <linux/mman.h>; mmap has no name for it


def address(m):
    """Where m's bytes are (ctypes, of a writable buffer)."""
    c = ctypes.c_char.from_buffer(m)
    try:
        return ctypes.addressof(c)
    finally:
        del c


def smaps_of(addr):
    """The smaps entry of the mapping that holds addr: its kB fields as bytes."""
    out, inside = {}, False
    with open("/proc/self/smaps") as f:
        for line in f:
            field = line.split()
            if "-" in field[0] and not field[0].endswith(":"):
                if inside:
                    break
                lo, hi = (int(x, 16) for x in field[0].split("-"))
                inside = lo <= addr < hi
            elif inside and len(field) == 3 and field[2] == "kB":
                out[field[0].rstrip(":")] = int(field[1]) << 10
    return out


def rollup():
    """The whole process's kB fields of /proc/self/smaps_rollup, as bytes."""
    out = {}
    with open("/proc/self/smaps_rollup") as f:
        for line in f:
            field = line.split()
            if len(field) == 3 and field[2] == "kB":
                out[field[0].rstrip(":")] = int(field[1]) << 10
    return out


def faults():
    return resource.getrusage(resource.RUSAGE_THREAD).ru_minflt


def write(m, value):
    """value in the first byte of each page."""
    for i in range(0, len(m), PAGE):
        m[i] = value


def read(m, value):
    """The pages whose first byte is value, and those that read 0."""
    same = zero = 0
    for i in range(0, len(m), PAGE):
        b = m[i]
        same += b == value
        zero += b == 0
    return same, zero


def pinned(fn):
    """fn() with this thread on one CPU, its mask put back after."""
    was = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(was)})
    try:
        return fn()
    finally:
        os.sched_setaffinity(0, was)


def advise(n, shared, advice):
    """A mapping of n bytes written a byte a page, then advice (twice for MADV_FREE),
    then read and written again: what each step did to its smaps entry."""
    m = mmap.mmap(-1, n) if shared else mmap.mmap(-1, n, flags=mmap.MAP_PRIVATE)
    try:
        addr = address(m)
        write(m, 1)
        r = {"written": smaps_of(addr)}
        try:
            m.madvise(advice)
            if advice == mmap.MADV_FREE:
                m.madvise(advice)
            r["error"] = None
        except OSError as e:
            r["error"] = e.errno
        r["advised"] = smaps_of(addr)
        f0 = faults()
        r["old"], r["zeros"] = read(m, 1)
        r["read_faults"] = faults() - f0
        f0 = faults()
        write(m, 2)
        r["write_faults"] = faults() - f0
        r["rewritten"] = smaps_of(addr)
        return r
    finally:
        m.close()


def pageout(n):
    """A private mapping written, told MADV_FREE, then MADV_PAGEOUT by its number; then,
    written again, MADV_PAGEOUT with every page dirty."""
    m = mmap.mmap(-1, n, flags=mmap.MAP_PRIVATE)
    try:
        addr = address(m)
        write(m, 1)
        m.madvise(mmap.MADV_FREE)
        m.madvise(mmap.MADV_FREE)
        try:
            m.madvise(MADV_PAGEOUT)
        except OSError as e:
            return {"error": e.errno}
        r = {"error": None, "lazy_out": smaps_of(addr)}
        r["old"], r["zeros"] = read(m, 1)
        write(m, 2)
        m.madvise(MADV_PAGEOUT)
        r["dirty_out"] = smaps_of(addr)
        return r
    finally:
        m.close()


def swap_total():
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("SwapTotal:"):
                return int(line.split()[1]) << 10
    return 0


def objects(count):
    """count floats in a list, then the list dropped: the process's Anonymous and LazyFree
    before, built, and dropped."""
    gc.collect()
    r = {"before": rollup()}
    xs = [float(i) for i in range(count)]
    r["built"] = rollup()
    del xs
    gc.collect()
    r["dropped"] = rollup()
    return r


def mib(b):
    return f"{b / (1 << 20):.1f} MiB"


def main():
    n_mib = args.number("madv.py", "MIB", 64, 1, 1024, "MiB, the mapping")
    n = n_mib << 20
    pages = n // PAGE
    print(f"02_memstats, Python twin (CPython {platform.python_version()}): giving pages back, "
          f"{mib(n)} ({pages:,} pages)")
    print("  mmap.mmap(-1, n[, flags=MAP_PRIVATE]), a byte written a page, m.madvise(...); the "
          "mapping's\n  smaps figures after the advice, then a read and a write of each page")
    print(f"  {'mapping, advice':<26} {'error':>6} {'Rss':>10} {'LazyFree':>10}"
          f" {'old':>7} {'0':>7} {'read faults':>11} {'write faults':>12}")
    for shared in (False, True):
        for name in ("MADV_DONTNEED", "MADV_FREE"):
            r = pinned(lambda: advise(n, shared, getattr(mmap, name)))
            a = r["advised"]
            err = errno.errorcode.get(r["error"], str(r["error"])) if r["error"] else "-"
            print(f"  {('MAP_SHARED, ' if shared else 'MAP_PRIVATE, ') + name:<26} {err:>6}"
                  f" {mib(a.get('Rss', 0)):>10} {mib(a.get('LazyFree', 0)):>10}"
                  f" {r['old']:>7,} {r['zeros']:>7,} {r['read_faults']:>11,} {r['write_faults']:>12,}")
    p = pinned(lambda: pageout(n))
    if p["error"]:
        print(f"  MADV_PAGEOUT (21): refused, {os.strerror(p['error'])} (Linux 5.4 and later have it)")
    else:
        print(f"  MAP_PRIVATE, MADV_FREE then MADV_PAGEOUT (21): Rss {mib(p['lazy_out'].get('Rss', 0))}, "
              f"LazyFree {mib(p['lazy_out'].get('LazyFree', 0))}; {p['zeros']:,} pages read 0")
        print(f"  written again, MADV_PAGEOUT: Rss {mib(p['dirty_out'].get('Rss', 0))}, "
              f"Swap {mib(p['dirty_out'].get('Swap', 0))} (this machine's swap: {mib(swap_total())})")
    count = 1_000_000
    o = objects(count)
    b, built, dropped = o["before"], o["built"], o["dropped"]
    print(f"  [float(i) for i in range({count:,})], then dropped: the process's Anonymous "
          f"{mib(built['Anonymous'] - b['Anonymous'])} built,\n"
          f"  {mib(dropped['Anonymous'] - b['Anonymous'])} after the drop; LazyFree "
          f"{mib(built['LazyFree'])}, {mib(dropped['LazyFree'])}")


if __name__ == "__main__":
    main()
