"""slab.py: freed but not given back, in CPython's small-object allocator (pymalloc).

    slab.py    (no arguments; run by make py-04)

Objects of at most 512 bytes come from pymalloc: blocks of one size class in a pool,
pools in an arena, and an arena goes back to the system only when every pool in it is
empty. N small objects (bytes objects of SIZE bytes), then all dropped but one in k:
the arenas stay while a survivor lives in each; then the survivors dropped: the arenas
go. The arenas, and their sizes, come from sys._debugmallocstats() (written to stderr,
read back here); the resident set from /proc/self/status. Measured, never typed: the
arena and pool sizes differ between CPython releases.
"""
import os
import platform
import re
import sys
import tempfile

N = 100_000
SIZE = 64   # bytes of data per object; sys.getsizeof adds the object's header
KS = (2, 100, 10_000, 100_000)


def debugmallocstats():
    """The text sys._debugmallocstats() writes to the process's stderr (descriptor 2),
    read back through a temporary file."""
    with tempfile.TemporaryFile(mode="w+") as f:
        sys.stderr.flush()
        saved = os.dup(2)
        try:
            os.dup2(f.fileno(), 2)
            sys._debugmallocstats()
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        f.seek(0)
        return f.read()


def mallocstats():
    """What sys._debugmallocstats() says, as a dict: 'arenas' (allocated now), 'reclaimed'
    (arenas given back so far; 'freed' in some releases' wording), 'arena_size' and
    'pool_size' in bytes, 'unused_pools'."""
    text = debugmallocstats()
    out = {}
    for key, pattern in (("arenas", r"# arenas allocated current\s*=\s*([\d,]+)"),
                         ("reclaimed", r"# arenas (?:reclaimed|freed)\s*=\s*([\d,]+)"),
                         ("arena_size", r"arenas \* ([\d,]+) bytes/arena"),
                         ("pool_size", r"unused pools \* ([\d,]+) bytes"),
                         ("unused_pools", r"([\d,]+) unused pools \*")):
        m = re.search(pattern, text)
        if m is None:
            raise RuntimeError(f"sys._debugmallocstats() printed no {key!r} ({pattern})")
        out[key] = int(m.group(1).replace(",", ""))
    return out


def rss():
    """This process's resident set, bytes (VmRSS in /proc/self/status)."""
    with open("/proc/self/status") as f:
        return int(re.search(r"VmRSS:\s+(\d+) kB", f.read()).group(1)) * 1024


def make(n):
    """n bytes objects of SIZE bytes, each a new object (bytes(SIZE) is not shared)."""
    return [bytes(SIZE) for _ in range(n)]


def run(n, k):
    """The experiment: the arenas and RSS before, after making n objects, after dropping all
    but one in k, and after dropping the survivors. Returns a dict of four snapshots, each
    mallocstats() plus 'rss', and the survivors' count."""
    snaps = {}

    def snap(name):
        s = mallocstats()
        s["rss"] = rss()
        snaps[name] = s

    snap("before")
    objs = make(n)
    snap("made")
    keep = objs[::k]
    del objs
    snap("dropped")
    survivors = len(keep)
    del keep
    snap("empty")
    return snaps, survivors


def main():
    first = mallocstats()
    size = sys.getsizeof(bytes(SIZE))
    print(f"04_pooling, Python twin (CPython {platform.python_version()}): pymalloc's arenas")
    print(f"arenas of {first['arena_size']:,} B, pools of {first['pool_size']:,} B; "
          f"{N:,} bytes objects of {SIZE} B")
    print(f"(sys.getsizeof: {size} B each), then all dropped but one in k, then the survivors.")
    print("Arenas allocated, above where the run started (sys._debugmallocstats), after")
    print("each step; the resident set follows them (py/test_slab.py pins it by ratios):")
    print(f"  {'k':>8} {'survivors':>9} {'made':>6} {'dropped':>8} {'survivors dropped':>18}")
    for k in KS:
        s, survivors = run(N, k)
        base = s["before"]["arenas"]
        print(f"  {k:>8,} {survivors:>9,} {s['made']['arenas'] - base:>6,}"
              f" {s['dropped']['arenas'] - base:>8,} {s['empty']['arenas'] - base:>18,}")


if __name__ == "__main__":
    main()
