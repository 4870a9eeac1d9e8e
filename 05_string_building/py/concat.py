"""concat.py: lesson 05 in Python. Is `s += part` quadratic in CPython?

    concat.py [N]            N parts of 10 characters (default 4000), then 2N and 4N
    concat.py --where [N]    the same with one reference, s in three places

Strings are immutable, so `s += part` must make a new string and copy s into it,
unless nobody else can see s and s is a local variable of a function: then CPython
3.11 resizes s in place (a realloc that often does not move it). One extra reference
(t = s) is enough to turn that off, and so is keeping s anywhere else: a module-level
variable (the module's dict holds it) or an attribute (the object's dict holds it).
For each way this prints how many times s moved to a new object (its id changed), the
bytes of the old s copied by those moves, and the median time of 5 joins.
"""
import statistics
import sys
import time

REPEATS = 5
PART = 10


def parts_of(n, size=PART):
    """n parts of size characters, part i made of the letters from 'a'+i on (as C's)."""
    return [''.join(chr(97 + (i + j) % 26) for j in range(size)) for i in range(n)]


def one_ref(parts):
    """s += part with s the only reference: CPython may resize s in place."""
    s = ''
    moves = copied = 0
    last = id(s)
    for p in parts:
        before = len(s)
        s += p
        if id(s) != last:  # a new object: the old s was copied into it
            moves += 1
            copied += before
            last = id(s)
    return s, moves, copied


_s = ''  # module_level's string: a module-level variable


def module_level(parts):
    """s += part with s a module-level variable (global): only the module's dict refers
    to it, yet every += makes a new string (CPython 3.11 resizes only a local)."""
    global _s
    _s = ''
    moves = copied = 0
    last = id(_s)
    for p in parts:
        before = len(_s)
        _s += p
        if id(_s) != last:
            moves += 1
            copied += before
            last = id(_s)
    s, _s = _s, ''
    return s, moves, copied


class _Holder:
    """An object whose attribute s is the string being joined."""


def attribute(parts):
    """s += part with s an attribute (o.s += part): only o refers to it, and still every
    += makes a new string."""
    o = _Holder()
    o.s = ''
    moves = copied = 0
    last = id(o.s)
    for p in parts:
        before = len(o.s)
        o.s += p
        if id(o.s) != last:
            moves += 1
            copied += before
            last = id(o.s)
    return o.s, moves, copied


def two_refs(parts):
    """The same loop, with a second reference to s: every += makes a new string."""
    s = t = ''
    moves = copied = 0
    for p in parts:
        before = len(s)
        s += p
        if s is not t:
            moves += 1
            copied += before
        t = s  # e.g. a list of partial results, a debugger, a closure
    return s, moves, copied


def fstring(parts):
    """s = f"{s}{part}": always a new string, with one reference or many."""
    s = ''
    moves = copied = 0
    last = id(s)
    for p in parts:
        before = len(s)
        s = f"{s}{p}"
        if id(s) != last:
            moves += 1
            copied += before
            last = id(s)
    return s, moves, copied


def timed(way, parts):
    """The counts of one join and the median and range of REPEATS timed joins."""
    _, moves, copied = way(parts)
    times = []
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        way(parts)
        times.append(time.perf_counter() - t0)
    return moves, copied, statistics.median(times), min(times), max(times)


def ms(seconds):
    return f"{seconds * 1e3:.2f} ms"


WAYS = (("one reference (s += part)", one_ref),
        ("two references (t = s after each +=)", two_refs),
        ("f-string (s = f\"{s}{part}\")", fstring))
WHERE = (("one reference, s a local variable of a function", one_ref),
         ("one reference, s a module-level variable (global s)", module_level),
         ("one reference, s an attribute (o.s += part)", attribute))


def main(argv):
    args = argv[1:]
    ways = WAYS
    if args and args[0] == "--where":
        ways = WHERE
        args = args[1:]
    if len(args) > 1:
        print("usage: concat.py [--where] [N]", file=sys.stderr)
        return 2
    try:
        n = int(args[0]) if args else 4000
    except ValueError:
        n = 0
    if not 1 <= n <= 100000:
        print(f"concat.py: N must be a whole number from 1 to 100000, not '{args[0]}'",
              file=sys.stderr)
        return 2
    print(f"s += part in CPython {sys.version.split()[0]}: parts of {PART} characters, "
          f"median of {REPEATS} joins (min-max)")
    print("(growth: this row's median time over the row above; n shows as x2, n^2 as x4)")
    for name, way in ways:
        print(f"\n{name}")
        print(f"{'n':>8} {'moves':>8} {'old s copied':>14} {'time':>10} {'min - max':>22} {'growth':>7}")
        prev = None
        for k in (n, 2 * n, 4 * n):
            moves, copied, med, lo, hi = timed(way, parts_of(k))
            growth = f"x{med / prev:.1f}" if prev else "-"
            print(f"{k:>8,} {moves:>8,} {copied:>14,} {ms(med):>10} "
                  f"{ms(lo) + ' - ' + ms(hi):>22} {growth:>7}")
            prev = med
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
