"""Lesson 01's Python twin of reference counting (C: refcount.h): when CPython frees.

Run by `make py-01` (tools/py.sh). A parent and N children, as in demo/refcount.c; every
object's count is CPython's own. With the cycle collector off (gc.disable()), tracemalloc
says what each step leaves traced: a `del` of the last reference to an acyclic structure
frees it at once, a cycle stays until gc.collect(), and a weakref back-pointer makes no
cycle. Then the collector on its own: its thresholds, and how many new container objects
start a collection. test_refcycle.py pins each figure.
"""
import gc
import platform
import sys
import tracemalloc
import weakref

N = 8  # children, as make refcount-01


class Node:
    """A node: its parent (a strong reference, a weakref or None), its first child, and
    its next sibling. Children in a chain rather than a list: a list object goes back to
    CPython's free list of lists when freed, and tracemalloc would still trace it."""
    __slots__ = ("parent", "first", "next", "__weakref__")

    def __init__(self):
        self.parent = self.first = self.next = None


class Finalized(Node):
    """A node with a finalizer: the collector frees a cycle of them too (PEP 442's safe
    finalization), and runs each __del__ once; the table shows it does."""
    __slots__ = ()
    ran = 0  # finalizers run, all nodes together

    def __del__(self):
        Finalized.ran += 1


def tree(n, back, cls=Node):
    """A parent and n children; back(parent) is what each child holds of its parent."""
    parent = cls()
    for _ in range(n):
        kid = cls()  # no arguments: a call's argument tuple would outlive it in a free list
        kid.parent = back(parent)
        kid.next, parent.first = parent.first, kid
    return parent


def strong(parent):
    return parent


def weak(parent):
    return weakref.ref(parent)


def _lines(*fns):
    return {line for f in fns for _, _, line in f.__code__.co_lines() if line}


def traced():
    """The blocks and bytes tracemalloc traces now that tree() made (its lines and those
    it calls here): not the snapshot's own, nor the measuring code's."""
    lines = _lines(tree, Node.__init__, weak)
    snap = tracemalloc.take_snapshot().filter_traces([tracemalloc.Filter(True, __file__)])
    stats = [s for s in snap.statistics("lineno") if s.traceback[0].lineno in lines]
    return sum(s.count for s in stats), sum(s.size for s in stats)


def steps(n, back, cls=Node):
    """With the collector off, what tree() made that is still traced after building the
    tree, after `del` of its only reference, and after gc.collect(); and what gc.collect()
    returned (the unreachable objects it found)."""
    was = gc.isenabled()
    gc.disable()
    tree(n, back, cls)  # once first: what a first call caches is no part of the tree
    gc.collect()
    ran = Finalized.ran
    tracemalloc.start()
    try:
        t = tree(n, back, cls)
        built = traced()
        del t
        dropped = traced()
        found = gc.collect()
        collected = traced()
        ran = Finalized.ran - ran
    finally:
        tracemalloc.stop()
        if was:
            gc.enable()
    return built, dropped, found, collected, ran


def _collections(make, stop):
    """With the collector on, from a collection just made: call make() until stop(made)
    says so; the number of calls, and the generations of the collections that started by
    themselves meanwhile."""
    started = []

    def callback(phase, info):
        if phase == "start":
            started.append(info["generation"])

    gc.enable()
    gc.collect()  # the counts start from a collection just made
    made = 0
    gc.callbacks.append(callback)
    try:
        while not stop(made, started):
            make()
            made += 1
    finally:
        gc.callbacks.remove(callback)
    return made, started


def first_collection():
    """How many new lists (container objects), none freed, are made before a collection
    starts by itself, and which generation it is."""
    kept = []
    made, started = _collections(lambda: kept.append([]), lambda made, started: started)
    return made, started[0]


def churn(n):
    """The collections that start by themselves while n lists are made and freed one at
    a time: a freed container takes back what its allocation added to the count."""
    return len(_collections(lambda: [], lambda made, started: made == n)[1])


CHURN = 100_000


def row(what, s, note):
    print(f"  {what:46} {s[0]:6,} blocks {s[1]:7,} B   {note}")


def main():
    print(f"01_allocation_basics, Python twin (CPython {platform.python_version()}): a parent and "
          f"{N} children, reference counted (C: refcount.h)")
    print("gc.disable(), then what tracemalloc traces after each step:")
    built, dropped, _, _, _ = steps(N, weak)
    row("built, back-pointers weakref.ref(parent)", built, "no cycle")
    row("del parent: its last reference", dropped, "all freed, at the del")
    built, dropped, found, collected, _ = steps(N, strong)
    row("built, back-pointers strong", built, "a cycle")
    row("del parent: its last reference", dropped, "none freed: the cycle holds every object")
    row(f"gc.collect(), which returned {found}", collected, "the cycle found and freed")
    _, dropped, found, collected, ran = steps(N, strong, Finalized)
    row("the same cycle, each node with __del__: del", dropped, "none freed")
    row(f"gc.collect(), which returned {found}", collected,
        f"__del__ ran {ran} times; gc.garbage holds {len(gc.garbage)}")
    made, gen = first_collection()
    print(f"the collector on its own: gc.get_threshold() is {gc.get_threshold()}")
    print(f"  {made:,} new lists, none freed, then a collection of generation {gen} started by itself")
    print(f"  {CHURN:,} lists each freed before the next is made: {churn(CHURN)} collections")


if __name__ == "__main__":
    if len(sys.argv) > 1:
        print(f"refcycle.py: takes no arguments, got {len(sys.argv) - 1}", file=sys.stderr)
        sys.exit(2)
    main()
