"""Lesson 02's Python twin of cow.h: why a forked CPython worker copies memory it only reads.

The parent builds objects and forks; the child only reads them, and measures how much of
its memory became its own: Private_Dirty in /proc/self/smaps_rollup, before and after.
Every CPython object carries a reference count, and reading an object (len(o), o in a
for loop) writes that count, so each page holding an object is copied into the child.
One bytes object holding the same characters is read without touching any count but its
own. gc.freeze() moves every object into a generation the collector never visits, so a
collection in the child leaves their GC headers alone; it cannot stop the reference
counts. Run by `make py-02` (tools/py.sh 02_memstats cow.py).
"""
import gc
import os
import platform
import sys

N = 200000
MIB = 1024 * 1024


def private_dirty():
    """This process's Private_Dirty, in bytes (the kB figure of smaps_rollup)."""
    with open("/proc/self/smaps_rollup") as f:
        for line in f:
            if line.startswith("Private_Dirty:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no Private_Dirty in /proc/self/smaps_rollup")


def in_child(fn):
    """Fork; the child runs fn() and returns what its Private_Dirty grew by while it ran,
    in bytes. The child reads the figure once before it starts counting: that first read
    makes objects of its own, whose pages are not fn's."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        status = 1
        try:
            os.close(r)
            private_dirty()
            before = private_dirty()
            fn()
            grew = private_dirty() - before
            os.write(w, str(grew).encode())
            status = 0
        finally:
            os._exit(status)
    os.close(w)
    with os.fdopen(r) as f:
        got = f.read()
    _, status = os.waitpid(pid, 0)
    if status != 0 or not got:
        raise RuntimeError(f"the child failed (wait status {status})")
    return int(got)


def size_of(objs):
    """What the objects themselves take: sys.getsizeof of each (not the list)."""
    return sum(sys.getsizeof(o) for o in objs)


def read_each(objs):
    """Read every object: len() of each, the loop's reference to each."""
    def run():
        for o in objs:
            len(o)
    return run


def loop_over(objs):
    """Only take a reference to each (ints have no len)."""
    def run():
        for _ in objs:
            pass
    return run


def small_int():
    """One of CPython's cached small ints (-5..256), got without a literal in this code."""
    return int("7")


def count_moves(obj, refs=1000):
    """How far obj's reference count moves when `refs` more references to it are made:
    refs for an ordinary object, 0 for an immortal one (CPython 3.12 and later)."""
    before = sys.getrefcount(obj)
    held = [obj] * refs
    moved = sys.getrefcount(obj) - before
    del held
    return moved


def measure(n=N):
    """Every figure the table prints, as a dict (the tests read the same)."""
    m = {"n": n, "nothing": in_child(lambda: None)}

    strs = [str(i) * 3 for i in range(n)]
    m["str_size"] = size_of(strs)
    m["str_read"] = in_child(read_each(strs))
    blob = "".join(strs).encode()
    m["bytes_size"] = sys.getsizeof(blob)
    m["bytes_read"] = in_child(lambda: blob.count(b"\0"))
    del blob

    small = [i % 256 for i in range(n)]  # CPython's cached small ints, shared by every list
    m["small_read"] = in_child(loop_over(small))
    del small
    big = [1000 + i for i in range(n)]  # an int object each
    m["big_size"] = size_of(big)
    m["big_read"] = in_child(loop_over(big))
    del big

    interned = [sys.intern(str(i) * 3) for i in range(n)]
    m["interned_read"] = in_child(read_each(interned))
    m["moves"] = {
        "small int": count_moves(small_int()),
        "str made at run time": count_moves(strs[-1]),
        "interned str": count_moves(interned[-1]),
    }
    del interned

    lists = [[i] for i in range(n)]  # containers: the collector tracks each
    m["lists_size"] = size_of(lists)
    gc.collect()
    m["collect"] = in_child(gc.collect)
    m["lists_read"] = in_child(read_each(lists))
    gc.freeze()
    try:
        m["collect_frozen"] = in_child(gc.collect)
        m["lists_read_frozen"] = in_child(read_each(lists))
    finally:
        gc.unfreeze()
    return m


def main():
    m = measure()

    def mib(b):
        return f"{b / MIB:5.1f} MiB"

    print(f"02_memstats, Python twin (CPython {platform.python_version()}): what a forked child "
          f"copies of objects it only reads")
    print(f"{m['n']:,} objects built by the parent; the child's Private_Dirty growth "
          f"(smaps_rollup) while it:")
    rows = [
        ("does nothing (the baseline)", m["nothing"], None),
        ("reads len() of each str", m["str_read"], m["str_size"]),
        ("reads the same bytes, one bytes object", m["bytes_read"], m["bytes_size"]),
        ("loops over small ints (0..255)", m["small_read"], None),
        ("loops over ints of their own (>= 1000)", m["big_read"], m["big_size"]),
        ("reads len() of each interned str", m["interned_read"], m["str_size"]),
        ("reads len() of each one-item list", m["lists_read"], m["lists_size"]),
        ("runs gc.collect()", m["collect"], m["lists_size"]),
        ("after gc.freeze(): gc.collect()", m["collect_frozen"], m["lists_size"]),
        ("after gc.freeze(): reads each list", m["lists_read_frozen"], m["lists_size"]),
    ]
    print(f"  {'':42} {'copied':>9}  {'the objects':>11}")
    for what, copied, size in rows:
        print(f"  {what:42} {mib(copied)}  {mib(size) if size is not None else '':>11}")
    print("a reference count after 1,000 more references (0: immortal, never written):")
    print("  " + ", ".join(f"{what} +{moved:,}" for what, moved in m["moves"].items()))


if __name__ == "__main__":
    main()
