"""Lesson 02's Python twin of spawner.h: starting /bin/true from a process with a big
bytearray written.

Three ways: subprocess.run(["/bin/true"]), os.posix_spawn and os.fork() + os.execv
(the child exits 127 if the exec fails) with os.waitpid. After each, the bytearray is
written again one byte a page, in one C call (a slice assignment with a step of a page,
so that no Python object is made per page), and the thread's minor faults during it
are counted (resource.getrusage, RUSAGE_THREAD). THP is off for the process
(prctl PR_SET_THP_DISABLE, through ctypes), so that a fault maps one 4 KiB page. A way
that copies the page tables (fork) leaves a fault a page; one that starts the child in
the parent's address space (vfork, posix_spawn) none. Which one subprocess uses is
CPython's choice: measured here, not assumed. Then each way timed, medians of rounds.
Run by tools/py.sh 02_memstats spawn.py [MIB]; `spawn.py --once WAY` starts /bin/true
once, one way (subprocess, posix_spawn, fork), for 02_memstats/clones.sh to trace.
"""
import ctypes
import os
import platform
import resource
import subprocess
import sys
import time

import args

PAGE = os.sysconf("SC_PAGESIZE")
TRUE = "/bin/true"
ROUNDS, RUNS = 5, 20


def thp_off():
    """Transparent huge pages off for this process and its children (prctl)."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(41, 1, 0, 0, 0) != 0:  # PR_SET_THP_DISABLE
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_THP_DISABLE)")


def run_subprocess(path=TRUE):
    return subprocess.run([path]).returncode


def run_posix_spawn(path=TRUE):
    pid = os.posix_spawn(path, [path], os.environ)
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])


def run_fork_exec(path=TRUE):
    pid = os.fork()
    if pid == 0:
        try:
            os.execv(path, [path])
        finally:
            os._exit(127)
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])


WAYS = [("subprocess.run", run_subprocess), ("os.posix_spawn", run_posix_spawn),
        ("os.fork + os.execv", run_fork_exec)]


def minor_faults():
    return resource.getrusage(resource.RUSAGE_THREAD).ru_minflt


def faults_after(buf, start):
    """buf written, a child started and reaped, then buf written again one byte a page:
    (pages, minor faults of that pass, the child's exit code)."""
    pages = len(buf) // PAGE
    ones, twos = b"\x01" * pages, b"\x02" * pages
    buf[::PAGE] = ones
    code = start()
    buf[:0:PAGE] = b""  # the same call once, on nothing: its code and objects warm
    minor_faults()
    f0 = minor_faults()
    buf[::PAGE] = twos
    f1 = minor_faults()
    return pages, f1 - f0, code


def figures(mib):
    """THP off, a bytearray of mib MiB, then faults_after for each way: {name: (pages,
    faults, code)}. The tests run it in a process of its own: THP stays off there."""
    thp_off()
    buf = bytearray(mib << 20)
    return {name: faults_after(buf, start) for name, start in WAYS}


def timed(start):
    """The median of ROUNDS rounds of RUNS starts (each round's median), and the rounds'
    fastest and slowest, in microseconds."""
    meds = []
    for _ in range(ROUNDS):
        one = []
        for _ in range(RUNS):
            t0 = time.perf_counter_ns()
            start()
            one.append(time.perf_counter_ns() - t0)
        one.sort()
        meds.append(one[RUNS // 2] / 1000)
    meds.sort()
    return meds[ROUNDS // 2], meds[0], meds[-1]


def once(way):
    """Start TRUE once, one way, and wait for it (clones.sh runs this under strace)."""
    starts = {"subprocess": run_subprocess, "posix_spawn": run_posix_spawn, "fork": run_fork_exec}
    if len(sys.argv) != 3 or way not in starts:
        print("spawn.py: --once: expected one of subprocess, posix_spawn, fork", file=sys.stderr)
        sys.exit(2)
    code = starts[way]()
    if code != 0:
        print(f"spawn.py: --once {way}: {TRUE} exited {code}", file=sys.stderr)
        sys.exit(1)


def main():
    if sys.argv[1:2] == ["--once"]:
        once(sys.argv[2] if len(sys.argv) > 2 else "")
        return
    mib = args.number("spawn.py", "MIB", 256, 1, 4096, "a bytearray's size in MiB")
    thp_off()
    print(f"02_memstats, Python twin (CPython {platform.python_version()}): starting {TRUE}\n"
          f"from a process with a bytearray of {mib} MiB, THP off")
    print("  the time of a start and its wait, median of 5 rounds of 20 (min - max of the rounds):")
    for label, size in (("no bytearray", 0), (f"{mib} MiB", mib)):
        buf = bytearray(size << 20)
        buf[::PAGE] = b"\x01" * (len(buf) // PAGE)
        for name, start in WAYS:
            med, lo, hi = timed(start)
            print(f"  {label:<13} {name:<20} {med:8.0f} us ({lo:.0f} - {hi:.0f})")
    print("  the bytearray written one byte a page after the child has run:")
    for name, start in WAYS:
        pages, faults, code = faults_after(buf, start)
        print(f"  {name:<20} {pages:>9,} pages, {faults:>9,} minor faults (the child's exit code {code})")


if __name__ == "__main__":
    main()
