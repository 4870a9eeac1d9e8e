"""aba.py: the ABA mistake in CPython, which has no compare-and-swap (make aba-04's question).

    aba.py        K trials of each comparison (run by make py-04)

A pointer CAS takes "the same address" for "the same node". In Python the same mistake is
to take "the same id()" for "the same object" when the two objects were not alive at the
same time: id() is the object's address, and CPython's allocator (pymalloc) hands the
block of an object just freed to the next object of its size class. K trials of
id(object()) == id(object()), the first object freed before the second is made; then K
trials with the first kept alive. The counts are what the comparisons returned, never
typed.
"""
import itertools
import platform

K = 1000  # trials of each comparison


def dropped(k=K):
    """How many of k trials find a new object at the id of one just dropped."""
    return sum(id(object()) == id(object()) for _ in itertools.repeat(None, k))


def kept(k=K):
    """How many of k trials find a new object at the id of one still alive."""
    same = 0
    for _ in itertools.repeat(None, k):
        a = object()
        same += id(a) == id(object())
    return same


def main():
    print(f"04_pooling, Python twin (CPython {platform.python_version()}): "
          "id() of objects not alive together")
    print(f"  {'comparison':52} {'True in':>8}")
    print(f"  {'id(object()) == id(object()): the first freed first':52} "
          f"{dropped():>8,} of {K:,}")
    print(f"  {'a = object(); id(a) == id(object()): a kept alive':52} "
          f"{kept():>8,} of {K:,}")


if __name__ == "__main__":
    main()
