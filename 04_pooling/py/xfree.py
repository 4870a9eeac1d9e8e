"""xfree.py: an object made in one thread and dropped in another (make xfree-04's question).

    xfree.py      K trials, the drop in another thread and in the same one (run by make py-04)

The main thread makes an object and hands it to a worker thread that stays alive; the
worker drops the last reference, so CPython frees the object in the worker's thread; then
the main thread makes a new object of the same type and compares its id() with the old
one. The same K trials again with the main thread dropping the object itself, the worker
only waiting. The two threads take turns at a threading.Barrier, so every drop is done
before the next object is made. The counts are what the comparisons returned, never
typed.
"""
import platform
import threading

K = 1000  # trials of each kind


def trials(k=K, other_thread=True):
    """How many of k trials make the new object at the id of the one just dropped."""
    box = [None]
    barrier = threading.Barrier(2)
    stop = [False]

    def worker():
        while True:
            barrier.wait()  # the object is in the box
            if stop[0]:
                return
            if other_thread:
                box[0] = None  # the last reference: the object is freed here
            barrier.wait()  # dropped

    t = threading.Thread(target=worker)
    t.start()
    same = 0
    try:
        for _ in range(k):
            box[0] = object()
            old = id(box[0])
            barrier.wait()
            if not other_thread:
                box[0] = None  # freed in this thread instead
            barrier.wait()
            same += id(object()) == old
    finally:
        stop[0] = True
        barrier.wait()
        t.join()
    return same


def main():
    print(f"04_pooling, Python twin (CPython {platform.python_version()}): an object made in "
          "one thread and dropped")
    print(f"  {'dropped in':44} {'new object at its id':>22}")
    print(f"  {'another thread (a worker that stays alive)':44} "
          f"{trials():>13,} of {K:,}")
    print(f"  {'the thread that made it':44} "
          f"{trials(other_thread=False):>13,} of {K:,}")


if __name__ == "__main__":
    main()
