"""handles.py: a checked reference in CPython, against a plain index (make handles-04's
question).

    handles.py    the stale index, the weak reference, and what the weak references cost
                  (run by make py-04)

A list used as a pool with a free list of indexes is the slot map without generations:
an index kept past a remove and an insert that reuses the slot reads the new object.
weakref.ref is CPython's checked reference: once the object is gone (its last strong
reference dropped, freed at once by reference counting), calling the ref returns None.
Its cost is measured with tracemalloc, never assumed: N refs to N objects, the blocks
allocated on the line that makes them and still live, by size; then N more refs to the
same objects, asked for again.
"""
import platform
import tracemalloc
import weakref

N = 1000  # objects, and weak references to them


class Obj:
    """A small object that can be weakly referenced (a plain class has __weakref__)."""

    def __init__(self, ident, value):
        self.id = ident
        self.value = value


class IndexPool:
    """Objects in a list; removed slots on a free list, the last freed reused first."""

    def __init__(self):
        self.slots = []
        self.free = []

    def insert(self, obj):
        if self.free:
            i = self.free.pop()
            self.slots[i] = obj
        else:
            i = len(self.slots)
            self.slots.append(obj)
        return i

    def remove(self, i):
        self.slots[i] = None
        self.free.append(i)


def stale_index():
    """Insert object 1, keep its index, remove it, insert object 2: what the index reads."""
    pool = IndexPool()
    i1 = pool.insert(Obj(1, 100))
    pool.remove(i1)
    i2 = pool.insert(Obj(2, 200))
    return i1, i2, pool.slots[i1].id


def stale_weakref():
    """A weak reference to object 1, then object 1 removed and object 2 put in its place:
    what the ref returns, and whether a ref to object 2 resolves."""
    slots = [Obj(1, 100)]
    r1 = weakref.ref(slots[0])
    slots[0] = Obj(2, 200)  # object 1's last reference dropped: freed now
    r2 = weakref.ref(slots[0])
    return r1(), r2().id


def make_refs(objs, refs):
    for i, o in enumerate(objs):
        refs[i] = weakref.ref(o)  # MEASURED


MEASURED_LINE = make_refs.__code__.co_firstlineno + 2


def ref_blocks(again=False):
    """{size: blocks} allocated by N weakref.ref calls and still live; with again, the N
    calls are for objects that already have a ref."""
    objs = [Obj(i, i) for i in range(N)]
    first = [None] * N
    refs = [None] * N
    if again:
        make_refs(objs, first)
    tracemalloc.start(1)
    try:
        make_refs(objs, refs)
        where = [tracemalloc.Filter(True, __file__, MEASURED_LINE)]
        traces = tracemalloc.take_snapshot().filter_traces(where).traces
    finally:
        tracemalloc.stop()
    sizes = {}
    for t in traces:
        sizes[t.size] = sizes.get(t.size, 0) + 1
    same = sum(a is b for a, b in zip(first, refs))
    return sizes, same


def by_size(sizes):
    return ", ".join(f"{n:,} x {s:,} B" for s, n in sorted(sizes.items())) or "-"


def main():
    i1, i2, read = stale_index()
    gone, new_id = stale_weakref()
    first, _ = ref_blocks()
    again, same = ref_blocks(again=True)
    print(f"04_pooling, Python twin (CPython {platform.python_version()}): a stale index "
          "and a weak reference")
    print(f"  index: object 1 at index {i1}, removed; object 2 inserted at index {i2}: "
          f"slots[{i1}].id is {read}")
    print(f"  weakref.ref: object 1 removed, object 2 in its place: r1() is {gone}; "
          f"r2().id is {new_id}")
    print(f"  {N:,} weakref.ref calls, blocks still live: {by_size(first)}")
    print(f"  {N:,} more, to objects that have one: {by_size(again)}; "
          f"the same ref object returned: {same:,} of {N:,}")


if __name__ == "__main__":
    main()
