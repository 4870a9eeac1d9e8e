"""Lesson 02's Python twin of sigsafe.h: a Python signal handler runs in the main thread,
between two bytecodes, not when the signal arrives.

CPython's own C handler only notes the signal; the interpreter calls the Python handler
at its next check between bytecodes. So a handler may allocate (a list, a string: it runs
where any Python code runs, never inside malloc), and it waits for a long C call: a timer
due 5 ms into one bytes.replace over MIB MiB fires when the call has returned. Then a
handler that builds a list runs on a timer every millisecond while the main loop builds
lists of its own.
Run by tools/py.sh 02_memstats sigsafe.py [MIB].
"""
import platform
import signal
import threading
import time

import args

DUE = 0.005       # the timer, seconds into the C call
TICK = 0.001      # the allocating handler's timer
LOOP = 0.2        # how long the main loop allocates, seconds
RECORD = 100      # the handler's list


def late_handler(mib):
    """One bytes.replace over mib MiB with SIGALRM due DUE seconds in: (the call's
    duration, when the handler ran, in the main thread or not), seconds from the start."""
    big = b"a" * (mib << 20)
    seen = {}

    def handler(signum, frame):
        seen["at"] = time.perf_counter()
        seen["main"] = threading.current_thread() is threading.main_thread()

    old = signal.signal(signal.SIGALRM, handler)
    try:
        start = time.perf_counter()
        signal.setitimer(signal.ITIMER_REAL, DUE)
        out = big.replace(b"a", b"b")  # one C call: no bytecode runs until it returns
        returned = time.perf_counter()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
    assert out[:1] == b"b"
    return returned - start, seen["at"] - start, seen["main"]


def allocating_handler(loop=LOOP):
    """SIGALRM every TICK seconds, a handler that builds a list of RECORD ints and keeps
    it, while the main loop builds lists for loop seconds: (handler runs, the records'
    lengths all RECORD, the main loop's lists)."""
    kept = []

    def handler(signum, frame):
        kept.append([signum] * RECORD)

    old = signal.signal(signal.SIGALRM, handler)
    made = 0
    try:
        signal.setitimer(signal.ITIMER_REAL, TICK, TICK)
        end = time.perf_counter() + loop
        while time.perf_counter() < end:
            scratch = [made] * 50
            made += len(scratch) // 50
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
    return len(kept), all(len(r) == RECORD for r in kept), made


def main():
    mib = args.number("sigsafe.py", "MIB", 32, 1, 1024, "a size in MiB")
    took, ran, main_thread = late_handler(mib)
    runs, whole, made = allocating_handler()
    print(f"02_memstats, Python twin (CPython {platform.python_version()}): a handler runs "
          f"between bytecodes, in the main thread")
    print(f"  SIGALRM due {DUE * 1e3:.0f} ms into one bytes.replace over {mib} MiB, which took "
          f"{took * 1e3:.0f} ms")
    print(f"  the handler ran {ran * 1e3:.0f} ms in: after the call returned "
          f"({'yes' if ran >= took * 0.9 else 'no'}), in the main thread ({'yes' if main_thread else 'no'})")
    print(f"  a handler that builds a list of {RECORD}, SIGALRM every {TICK * 1e3:.0f} ms for "
          f"{LOOP * 1e3:.0f} ms while the main loop builds lists:")
    print(f"    {runs:,} handler runs, every list whole ({'yes' if whole else 'no'}); "
          f"the main loop's lists: {made:,}; no hang")


if __name__ == "__main__":
    main()
