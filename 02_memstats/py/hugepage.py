"""Lesson 02's Python twin of hugepage.h: one byte written per huge-page span.

mmap.mmap(-1, n, flags=mmap.MAP_PRIVATE) maps anonymous memory of its own;
m.madvise(mmap.MADV_HUGEPAGE) or MADV_NOHUGEPAGE tells the kernel what to do with it
before the first write, as the C demo's region, but the mapping starts where mmap put
it (the "start in a span" column: some kernels put an anonymous private mapping whose
length is a multiple of the huge page size at a span, others anywhere).
mmap.mmap(-1, n) without flags is MAP_SHARED: shared memory (shmem), whose huge pages
follow another switch, shmem_enabled. A bytearray(n) is CPython's malloc'd block, which
CPython fills with zeros when it makes it. For each: minor faults (resource.getrusage)
and the Rss and AnonHugePages of the mappings that hold it (/proc/self/smaps), each a
change.
Run by tools/py.sh 02_memstats hugepage.py [SPANS].
"""
import ctypes
import mmap
import platform
import resource

import args


def huge_span():
    """The kernel's huge page size, or 2 MiB without the file."""
    try:
        with open("/sys/kernel/mm/transparent_hugepage/hpage_pmd_size") as f:
            return int(f.read())
    except (OSError, ValueError):
        return 2 << 20


def thp_mode(name="enabled"):
    """The bracketed word of the kernel's THP mode (name: enabled, or shmem_enabled for
    shared memory), 'missing' without the file."""
    try:
        with open("/sys/kernel/mm/transparent_hugepage/" + name) as f:
            text = f.read()
    except OSError:
        return "missing"
    i, j = text.find("["), text.find("]")
    return text[i + 1:j] if 0 <= i < j else "missing"


def smaps(addr, n):
    """The mappings that overlap [addr, addr + n): how many, their Rss and AnonHugePages
    added up, in bytes."""
    count = rss = huge = 0
    inside = False
    with open("/proc/self/smaps") as f:
        for line in f:
            field = line.split()
            if not field:
                continue
            if "-" in field[0] and not field[0].endswith(":"):
                lo, hi = (int(x, 16) for x in field[0].split("-"))
                inside = lo < addr + n and hi > addr
                count += inside
            elif inside and field[0] == "Rss:":
                rss += int(field[1]) << 10
            elif inside and field[0] == "AnonHugePages:":
                huge += int(field[1]) << 10
    return count, rss, huge


def faults():
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


def touch(buf, span):
    """One byte written per span."""
    for i in range(0, len(buf), span):
        buf[i] = 1


def address(buf):
    """Where buf's bytes are (ctypes, of a writable buffer)."""
    c = ctypes.c_char.from_buffer(buf)
    try:
        return ctypes.addressof(c)
    finally:
        del c  # an export left open would keep the mmap from closing


def measure(buf, span):
    """Write one byte per span of buf: a dict of what it did to buf's mappings."""
    addr = address(buf)
    touch(bytearray(1), 1)  # its code run once first
    _, rss0, huge0 = smaps(addr, len(buf))
    faults()
    f0 = faults()
    touch(buf, span)
    f1 = faults()
    maps, rss1, huge1 = smaps(addr, len(buf))
    return {"faults": f1 - f0, "rss": rss1 - rss0, "huge": (huge1 - huge0) // span,
            "anon_huge": huge1 - huge0, "offset": addr % span, "maps": maps, "rss_before": rss0}


def mapped(spans, span, advice, flags=mmap.MAP_PRIVATE):
    """An anonymous mmap of spans x span bytes with advice (None: none), measured."""
    m = mmap.mmap(-1, spans * span, flags=flags)
    try:
        if advice is not None:
            m.madvise(advice)
        return measure(m, span)
    finally:
        m.close()


def allocated(spans, span):
    """A bytearray of spans x span bytes, measured; its Rss before the writes too."""
    b = bytearray(spans * span)
    return measure(b, span)


def iec(n):
    if n >= 1 << 20:
        return f"{n / (1 << 20):.1f} MiB"
    if n >= 1 << 10:
        return f"{n / (1 << 10):.1f} KiB"
    return f"{n} B"


WAYS = [
    ("MAP_PRIVATE, MADV_NOHUGEPAGE", lambda k, s: mapped(k, s, mmap.MADV_NOHUGEPAGE)),
    ("MAP_PRIVATE, no advice", lambda k, s: mapped(k, s, None)),
    ("MAP_PRIVATE, MADV_HUGEPAGE", lambda k, s: mapped(k, s, mmap.MADV_HUGEPAGE)),
    ("MAP_SHARED, MADV_HUGEPAGE", lambda k, s: mapped(k, s, mmap.MADV_HUGEPAGE, mmap.MAP_SHARED)),
    ("bytearray(n)", allocated),
]


def main():
    spans = args.number("hugepage.py", "SPANS", 32, 1, 512, "a number of huge-page spans")
    span = huge_span()
    print(f"02_memstats, Python twin (CPython {platform.python_version()}): {spans} spans "
          f"of {iec(span)}, one byte written a span")
    print(f"  the kernel's THP mode: {thp_mode()}, for shared memory: {thp_mode('shmem_enabled')}")
    print("  mmap.mmap(-1, n, flags=...), then m.madvise(...); each figure a change to the")
    print("  mappings that hold it, but Rss before, what they held before the writes")
    print(f"  {'way':<28} {'faults':>7} {'Rss':>10} {'AnonHugePages':>14} {'H':>4}  "
          f"{'Rss before':>10}  start in a span")
    for name, way in WAYS:
        r = way(spans, span)
        print(f"  {name:<28} {r['faults']:>7} {iec(r['rss']):>10} {iec(r['anon_huge']):>14} "
              f"{r['huge']:>4}  {iec(r['rss_before']):>10}  {iec(r['offset'])}")


if __name__ == "__main__":
    main()
