"""Lesson 01's Python twin of demo/factor: a list grows by about 1/8 through realloc; does
its array of item pointers move?

Run by `make py-01` (tools/py.sh). A list object holds ob_size (its length) and ob_item
(a pointer to its array of item pointers), right after the object header, in the
non-free-threaded build of CPython 3.11 and 3.13 alike: ob_refcnt, ob_type, ob_size,
ob_item, 8 bytes each. This program reads ob_item with ctypes while a list grows by
append, and checks what it read first: ob_size equals len(lst), and ob_item[0] is the
address of lst[0]. A growth is an append that changed sys.getsizeof(lst) (the header and
the allocated pointers); at each one, whether ob_item changed (realloc moved the array).
The items are one object (None), so that the list's array is the only thing allocated.
test_factor.py pins each line.
"""
import ctypes
import platform
import sys

N = 1_000_000  # appends
HEADER = sys.getsizeof([])  # the list object, no items
POINTER = ctypes.sizeof(ctypes.c_void_p)
OB_SIZE = 2 * POINTER  # after ob_refcnt and ob_type
OB_ITEM = 3 * POINTER


def ob_item(lst):
    """The address of lst's array of item pointers (0 while it has none)."""
    return ctypes.c_void_p.from_address(id(lst) + OB_ITEM).value or 0


def layout_holds(lst):
    """Whether the fields read where this program expects them: ob_size, and the first item."""
    size = ctypes.c_ssize_t.from_address(id(lst) + OB_SIZE).value
    first = ctypes.c_void_p.from_address(ob_item(lst)).value if lst else None
    return size == len(lst) and (not lst or first == id(lst[0]))


def allocated(lst):
    """The pointers lst's array has room for."""
    return (sys.getsizeof(lst) - HEADER) // POINTER


def grow(n, item=None):
    """Append item n times to an empty list. Returns the capacities after each growth and,
    for each growth after the first, whether the array moved."""
    lst, caps, moved = [], [], []
    room, where = 0, 0
    for _ in range(n):
        lst.append(item)
        if allocated(lst) != room:
            room, was, where = allocated(lst), where, ob_item(lst)
            caps.append(room)
            if was:
                moved.append(where != was)
    assert layout_holds(lst)
    return caps, moved


def first_growth_of_at_least(caps, size):
    """The index of the first capacity of at least size, or len(caps)."""
    return next((i for i, c in enumerate(caps) if c >= size), len(caps))


def main():
    caps, moved = grow(N)
    small = first_growth_of_at_least(caps, 1024 // POINTER)  # arrays under 1 KiB
    big = first_growth_of_at_least(caps, 128 * 1024 // POINTER)  # past glibc's mmap threshold
    ratios = [b / a for a, b in zip(caps[-10:], caps[-9:])]
    print(f"CPython {platform.python_version()}: {N:,} appends of None to an empty list")
    print(f"  growths (sys.getsizeof changed)      {len(caps):>6}")
    print(f"  capacity at the end                 {caps[-1]:>7,} pointers")
    print(f"  each of the last 9 growths, x       {min(ratios):.3f} to {max(ratios):.3f}")
    for what, lo, hi in (("arrays under 1 KiB", 0, small),
                         ("1 KiB to 128 KiB", small, big),
                         ("128 KiB and up (glibc's mmap threshold)", big, len(caps))):
        m = moved[max(lo - 1, 0):hi - 1]
        print(f"  {what:<40} {len(m):>3} growths, {sum(m):>3} moved the array")


if __name__ == "__main__":
    main()
