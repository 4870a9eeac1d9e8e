"""Lesson 01's Python twin of make faults-01: the page faults of a request loop.

Run by `make py-01` (tools/py.sh). Each request takes a bytearray of 64 MiB and writes a
byte in every page of it: a new one each request, or one made by the first request and
reused. CPython hands a block this big to the C library's malloc, which mmaps it and
unmaps it when it is freed, and bytearray(n) writes its n zeros: every page of a new one
faults, every request. Then an anonymous mmap.mmap with and without MAP_POPULATE, written
a byte a page: where its faults fall. Minor page faults from resource.getrusage;
transparent huge pages off for the process (regrow.py's thp_off), so each fault is one
base page; test_faults.py pins the bounds.
"""
import mmap
import platform

from regrow import MIB, PAGE, faults, thp_off  # the page size, the counter, THP off

SIZE = 64 * MIB
REQUESTS = 4


def write_pages(buf, n, value):
    for i in range(0, n, PAGE):
        buf[i] = value


def requests(reuse, n=SIZE, count=REQUESTS):
    """The minor faults of each of count requests of n bytes: a new bytearray each, or one
    reused."""
    kept = bytearray(n) if reuse else None
    out = []
    for r in range(count):
        before = faults()
        buf = kept if reuse else bytearray(n)
        write_pages(buf, n, r + 1)
        del buf
        out.append(faults() - before)
    return out


def mapped(populate, n=SIZE):
    """An anonymous private mapping of n bytes, with MAP_POPULATE or not: the faults of the
    mmap call, then of a byte written a page."""
    flags = mmap.MAP_PRIVATE | (mmap.MAP_POPULATE if populate else 0)
    before = faults()
    m = mmap.mmap(-1, n, flags=flags)
    in_call = faults() - before
    before = faults()
    write_pages(m, n, 1)
    in_pass = faults() - before
    m.close()
    return in_call, in_pass


def main():
    thp_off()
    requests(False, count=1)  # the interpreter's own first faults on these paths
    mapped(True, PAGE)
    print(f"01_allocation_basics, Python twin (CPython {platform.python_version()}): each request a "
          f"bytearray of {SIZE // MIB} MiB,")
    print(f"a byte of every page written ({SIZE // PAGE:,} pages of {PAGE // 1024} KiB); page faults "
          f"of each request")
    print(f"  {'':32}" + "".join(f" {'#' + str(i + 1):>8}" for i in range(REQUESTS)))
    for name, reuse in (("bytearray(n) each request", False), ("one bytearray reused", True)):
        print(f"  {name:32}" + "".join(f" {f:8,d}" for f in requests(reuse)))
    print(f"\nmmap.mmap(-1, {SIZE // MIB} MiB), then a byte written a page: page faults")
    print(f"  {'flags':32} {'in the call':>12} {'in the pass':>12}")
    for name, populate in (("MAP_PRIVATE", False), ("MAP_PRIVATE | MAP_POPULATE", True)):
        in_call, in_pass = mapped(populate)
        print(f"  {name:32} {in_call:12,d} {in_pass:12,d}")


if __name__ == "__main__":
    main()
