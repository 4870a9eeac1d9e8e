"""Lesson 02's Python twin of record.h: what one record costs as an object.

The record's six fields as the attributes of an ordinary class (Rec) and of one with
__slots__ (RecSlots). tracemalloc counts the bytes each instance asks for, over N
instances kept alive; the attribute values are shared objects (True, 0, 0.0), so only
the instances are counted. Since CPython 3.11 an ordinary instance keeps its attribute
values beside it and makes no __dict__ until one is asked for: the last row reads
obj.__dict__ on each instance, and counts what that adds. Run by `make py-02`
(tools/py.sh 02_memstats slots.py).
"""
import platform
import sys
import tracemalloc

N = 10000


class Rec:
    def __init__(self):
        self.flag = True
        self.id = 0
        self.kind = 0
        self.count = 0
        self.tag = 0
        self.score = 0.0


class RecSlots:
    __slots__ = ("flag", "id", "kind", "count", "tag", "score")
    __init__ = Rec.__init__  # the same six assignments, into the slots


def a_dict():
    """The same six fields in a dict of their own."""
    return {"flag": True, "id": 0, "kind": 0, "count": 0, "tag": 0, "score": 0.0}


def _traced(snapshot):
    """Bytes and blocks traced from this file's lines (not tracemalloc's own)."""
    stats = snapshot.filter_traces([tracemalloc.Filter(True, __file__)]).statistics("filename")
    return sum(s.size for s in stats), sum(s.count for s in stats)


def _fill(kept, make, n):
    for i in range(n):
        kept[i] = make()


def _touch(kept):
    for obj in kept:
        obj.__dict__


def per_instance(make, n=N, touch_dict=False):
    """Bytes and blocks per object for n objects from make(), kept alive; with
    touch_dict, what reading obj.__dict__ on each then adds. Returns
    (bytes, blocks, dict_bytes, dict_blocks). Both loops run once first, untraced:
    the interpreter specializes a loop's code as it warms up, and allocates for that."""
    warm = [None] * 100
    _fill(warm, make, len(warm))
    if touch_dict:
        _touch(warm)
    kept = [None] * n
    tracemalloc.start()
    try:
        before = _traced(tracemalloc.take_snapshot())
        _fill(kept, make, n)
        made = _traced(tracemalloc.take_snapshot())
        if touch_dict:
            _touch(kept)
        touched = _traced(tracemalloc.take_snapshot())
    finally:
        tracemalloc.stop()
    return ((made[0] - before[0]) / n, (made[1] - before[1]) / n,
            (touched[0] - made[0]) / n, (touched[1] - made[1]) / n)


def main():
    plain = per_instance(Rec, touch_dict=True)
    slots = per_instance(RecSlots)
    dicts = per_instance(a_dict)
    print(f"02_memstats, Python twin (CPython {platform.python_version()}): what one record costs, "
          f"{N:,} objects kept alive")
    print("tracemalloc per object (the bytes asked for), and sys.getsizeof of one")
    print(f"  {'':34} {'traced':>9} {'blocks':>7} {'sys.getsizeof':>14}")
    rows = [
        ("Rec, six attributes", plain[0], plain[1], sys.getsizeof(Rec())),
        ("RecSlots, the same in __slots__", slots[0], slots[1], sys.getsizeof(RecSlots())),
        ("a dict of the six fields", dicts[0], dicts[1], sys.getsizeof(a_dict())),
    ]
    for name, size, blocks, getsizeof in rows:
        print(f"  {name:34} {size:7.1f} B {blocks:7.1f} {getsizeof:12} B")
    print(f"  {'Rec, then obj.__dict__ read: adds':34} {plain[2]:7.1f} B {plain[3]:7.1f}")
    print(f"__slots__ saves {plain[0] - slots[0]:.1f} B an object; reading __dict__ costs "
          f"{plain[2]:.1f} B more")


if __name__ == "__main__":
    main()
