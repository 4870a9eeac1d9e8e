"""Lesson 02's Python twin: tracemalloc on the lesson's job, beside the C site report.

The job of heavy.c and light.c: N records of 100 bytes, then the drop keeps one in 64.
  heavy: one bytes object per record in a list (each an object of its own, 100 bytes
         of data behind a header)
  light: every record in one bytearray; the drop copies the survivors into a small one
tracemalloc records where each block was allocated; statistics('lineno') groups the
live blocks by source line (the site report's "by bytes live"), compare_to is the drop,
get_traced_memory is the current and peak. Run by `make py-02` (tools/py.sh).
"""
import inspect
import os
import platform
import tracemalloc

import args

# Paths print relative to the repository, as the C site report's do.
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))) + os.sep

RECORD_SIZE = 100  # bytes per record, memstats.h's RECORD_SIZE
KEEP_EVERY = 64    # one record in 64 survives the drop, KEEP_EVERY


def make_record(i):
    """Record i: b"record <i>", zero-padded to RECORD_SIZE bytes, as memstats_record_fill."""
    return f"record {i}".encode().ljust(RECORD_SIZE, b"\0")


def kept(n):
    return (n + KEEP_EVERY - 1) // KEEP_EVERY


def heavy_build(n):
    return [make_record(i) for i in range(n)]  # a list of n objects


def heavy_drop(records):
    return records[::KEEP_EVERY]  # the others lose their last reference: freed now


def light_build(n):
    buf = bytearray(n * RECORD_SIZE)  # one block for every record
    for i in range(n):
        buf[i * RECORD_SIZE:(i + 1) * RECORD_SIZE] = make_record(i)
    return buf


def light_drop(buf):
    n = len(buf) // RECORD_SIZE
    out = bytearray(kept(n) * RECORD_SIZE)  # one block for the survivors
    view = memoryview(buf)
    for k, i in enumerate(range(0, n, KEEP_EVERY)):
        out[k * RECORD_SIZE:(k + 1) * RECORD_SIZE] = view[i * RECORD_SIZE:(i + 1) * RECORD_SIZE]
    view.release()
    return out


def snapshot():
    """The live blocks allocated by the job's lines: this file's, except the line of run()
    that keeps get_traced_memory()'s result (tracemalloc's own blocks are elsewhere)."""
    lines, first = inspect.getsourcelines(run)
    traced = first + next(i for i, line in enumerate(lines) if "get_traced_memory()" in line)
    return tracemalloc.take_snapshot().filter_traces([
        tracemalloc.Filter(True, __file__),
        tracemalloc.Filter(False, __file__, lineno=traced),
    ])


def run(build, drop, n):
    """Build and drop under tracemalloc; returns the two snapshots and the traced
    memory (current, peak) read right after the build, before any snapshot is taken."""
    tracemalloc.start()
    store = build(n)
    traced = tracemalloc.get_traced_memory()
    built = snapshot()
    store = drop(store)
    dropped = snapshot()
    tracemalloc.stop()
    del store
    return built, dropped, traced


def main():
    n = args.number("records.py", "N", 20000, 1, 10000000, "a number of records")
    print(f"02_memstats, Python twin (CPython {platform.python_version()}): {n:,} records of "
          f"{RECORD_SIZE} B, the drop keeps 1 in {KEEP_EVERY} "
          f"({kept(n):,} record{'' if kept(n) == 1 else 's'})")
    for side, build, drop in (("heavy", heavy_build, heavy_drop), ("light", light_build, light_drop)):
        built, dropped, (current, peak) = run(build, drop, n)
        print(f"\n{side}: snapshot.statistics('lineno') after the build")
        for stat in built.statistics("lineno")[:2]:
            print(f"  {str(stat).replace(ROOT, '')}")
        print(f"{side}: dropped.compare_to(built, 'lineno')")
        for stat in dropped.compare_to(built, "lineno")[:3]:
            print(f"  {str(stat).replace(ROOT, '')}")
        print(f"{side}: tracemalloc.get_traced_memory() after the build: "
              f"current {current:,} B, peak {peak:,} B")


if __name__ == "__main__":
    main()
