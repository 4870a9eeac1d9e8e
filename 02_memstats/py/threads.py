"""Lesson 02's Python twin of threads.h: what a Python thread costs, and an asyncio task.

A threading.Thread is a pthread with glibc's default stack, so its address space is the
C side's; and CPython's thread mallocs, so glibc gives it a malloc arena of its own
(02_memstats/README.md, "Arenas: one per thread"), 64 MiB more of address space, while
the process has fewer arenas than its limit (8 a core). VmSize from /proc/self/status,
a change per thread:
  threads(n)    n threads parked on one threading.Event: with all parked, after the join
                (n at most 7: a machine of one core allows 8 arenas, the main one
                and 7 more)
  tasks(n)      n asyncio tasks parked on one asyncio.Event: tracemalloc's bytes a task,
                and no stack: a task is objects on the heap
A process's first threads are measured in a process of their own (measure_fresh), since
the arenas and the stacks glibc keeps are the process's.
Run by `make py-02 ARGS=threads.py` (tools/py.sh 02_memstats threads.py [N]).
"""
import asyncio
import json
import platform
import resource
import subprocess
import sys
import threading
import time
import tracemalloc

import args

KIB = 1024
PAGE = resource.getpagesize()
ARENA = 64 * KIB * KIB  # a thread arena's reservation on 64-bit glibc (the C side measures it)


def vmsize():
    """VmSize from /proc/self/status, in bytes."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * KIB
    raise RuntimeError("no VmSize in /proc/self/status")


def default_stack():
    """glibc's default thread stack: RLIMIT_STACK rounded to pages (None when unlimited)."""
    soft, _ = resource.getrlimit(resource.RLIMIT_STACK)
    return None if soft == resource.RLIM_INFINITY else soft // PAGE * PAGE


def thread_count():
    """Threads: from /proc/self/status, the process's threads as the kernel counts them."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("Threads:"):
                return int(line.split()[1])
    raise RuntimeError("no Threads in /proc/self/status")


def wait_for_threads(count, timeout=30.0):
    """Wait until the kernel counts `count` threads again. Thread.join() returns when the
    thread's Python code is done, before the pthread has exited; glibc hands its stack and
    its arena to the next thread only after that, so a batch started at once would map
    new ones whenever the machine is busy."""
    deadline = time.monotonic() + timeout
    while thread_count() != count:
        if time.monotonic() > deadline:
            raise RuntimeError(f"threads did not exit: {thread_count()} left, {count} expected")
        time.sleep(0.001)


def threads(n):
    """n threads parked on one Event: (VmSize change with all parked, after the join and
    the threads' exit)."""
    release, ready = threading.Event(), threading.Barrier(n + 1)
    alone = thread_count()

    def park():
        ready.wait()
        release.wait()

    before = vmsize()
    ts = [threading.Thread(target=park) for _ in range(n)]
    for t in ts:
        t.start()
    ready.wait()
    parked = vmsize()
    release.set()
    for t in ts:
        t.join()
    wait_for_threads(alone)
    return parked - before, vmsize() - before


def tasks(n):
    """n asyncio tasks parked on one Event: tracemalloc's bytes with all parked, per task."""
    async def run():
        release = asyncio.Event()

        async def park():
            await release.wait()

        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        ts = [asyncio.create_task(park()) for _ in range(n)]
        await asyncio.sleep(0)  # every task started and parked
        traced = tracemalloc.get_traced_memory()[0] - before
        tracemalloc.stop()
        release.set()
        await asyncio.gather(*ts)
        return traced / n

    return asyncio.run(run())


def measure(n, tasks_n):
    """Two batches of n threads, then tasks_n tasks, in this process."""
    first = threads(n)
    again = threads(n)
    return {"first": first, "again": again, "task": tasks(tasks_n)}


def measure_fresh(n, tasks_n):
    """measure() in a new interpreter: the process's first threads."""
    out = subprocess.run([sys.executable, __file__, "--json", str(n), str(tasks_n)],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def main():
    if sys.argv[1:2] == ["--json"]:
        print(json.dumps(measure(int(sys.argv[2]), int(sys.argv[3]))))
        return
    n = args.number("threads.py", "N", 4, 1, 7, "threads a batch")
    tasks_n = 10000
    r = measure_fresh(n, tasks_n)
    stack = default_stack()
    print(f"02_memstats, Python twin (CPython {platform.python_version()}): {n} threading.Thread "
          f"parked on one Event,\ntwice in a new process; VmSize from /proc/self/status, "
          f"a change per thread")
    print(f"  glibc's default stack and its guard page: "
          f"{(stack + PAGE) / KIB:,.0f} KiB" if stack else "  glibc's default stack: RLIMIT_STACK is unlimited")
    print(f"  {'':34} {'parked, a thread':>18} {'after the join':>18}")
    for label, key in (("the process's first threads", "first"), ("the same number again", "again")):
        parked, joined = r[key]
        print(f"  {label:34} {parked / n / KIB:>14,.1f} KiB {joined / KIB:>14,.0f} KiB")
    if stack:
        rest = r["first"][0] / n - stack - PAGE
        print(f"  a first thread beyond its stack and guard: {rest / KIB:,.0f} KiB, "
              f"of which a malloc arena's {ARENA // KIB:,} KiB")
    print(f"{tasks_n:,} asyncio tasks parked on one asyncio.Event: {r['task']:,.0f} B a task "
          f"(tracemalloc), no stack")


if __name__ == "__main__":
    main()
