"""Lesson 01's Python twin of calloc against malloc + memset: what a zeroed 64 MiB costs.

Run by `make py-01` (tools/py.sh). bytes(n) asks CPython's allocator for zeroed memory
(calloc), so a big one stays out of the resident set; bytearray(n) and b"\\0" * n write
their zeros. Each figure is the growth of the resident set (VmRSS, /proc/self/status) in
whole MiB; test_allocations.py pins each one.
"""
import platform
import re

MIB = 1 << 20
N = 64 * MIB


def resident():
    """The process's resident set, bytes."""
    with open("/proc/self/status") as f:
        return int(re.search(r"VmRSS:\s+(\d+) kB", f.read()).group(1)) * 1024


def growth(make):
    """The bytes the resident set grows by while make()'s object is alive."""
    before = resident()
    kept = make()
    grown = resident() - before
    del kept
    return grown


WAYS = [
    ("bytes(n)", lambda: bytes(N), "calloc: the kernel's zeroed pages, none written"),
    ("bytearray(n)", lambda: bytearray(N), "allocated, then every byte set to 0"),
    ('b"\\0" * n', lambda: b"\0" * N, "every byte copied in"),
]


def main():
    print(f"01_allocation_basics, Python twin (CPython {platform.python_version()}): "
          f"a zeroed block of {N // MIB} MiB, the resident set (VmRSS)")
    for name, make, note in WAYS:
        print(f"  {name:14} grew by {round(growth(make) / MIB):3d} MiB   {note}")


if __name__ == "__main__":
    main()
