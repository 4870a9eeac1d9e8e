"""gap.py: editing in the middle, in CPython: K keystrokes typed at the middle of a text of
N characters, into a str, a bytearray and a list of lines.

    gap.py    (no arguments)

A str cannot change: s = s[:i] + "x" + s[i:] makes the two halves and a new str of the
whole for every keystroke. A bytearray inserts in place, b[i:i] = b"x", moving its tail
within its own buffer, and resizes it (with room to spare) when it is full. A list of
lines makes a new str of one line a keystroke. For each: sys.getsizeof of the object
before and after the K keystrokes (of the line, for the list), the keystrokes after which
it had changed (a new object, or a resized buffer), and tracemalloc's peak during a
keystroke above what was traced before it: the most over the keystrokes that changed the
size, and over the others.
"""
import platform
import sys
import tracemalloc

N = 1_000_000  # characters of text
K = 100        # keystrokes
LINE = 80      # characters a line, newline included, for the list of lines


def text():
    """N lower-case letters in lines of LINE characters, the last of each a newline."""
    return "".join("\n" if i % LINE == LINE - 1 else chr(ord("a") + i % 26) for i in range(N))


def typed(t, at=N // 2, k=K):
    """The text with k x's typed at `at`: what every way must give."""
    return t[:at] + "x" * k + t[at:]


def keystrokes(obj, key, size, k=K):
    """Type k keystrokes with key(obj, j) -> obj; return (obj, the keystrokes that changed
    size(obj), the most tracemalloc's peak rose above what was traced before a keystroke
    among those, and among the others: None where there were none)."""
    resized, most = 0, [None, None]
    tracemalloc.start()
    try:
        for j in range(k):
            before, _ = tracemalloc.get_traced_memory()
            was = size(obj)
            tracemalloc.reset_peak()
            obj = key(obj, j)
            _, peak = tracemalloc.get_traced_memory()
            changed = size(obj) != was
            resized += changed
            m = most[0 if changed else 1]
            most[0 if changed else 1] = peak - before if m is None else max(m, peak - before)
    finally:
        tracemalloc.stop()
    return obj, resized, most[0], most[1]


def on_str(t, at=N // 2, k=K):
    def key(s, j):
        i = at + j
        return s[:i] + "x" + s[i:]
    s, resized, grew, other = keystrokes(t, key, sys.getsizeof, k)
    return s, sys.getsizeof(t), s, resized, grew, other


def on_bytearray(t, at=N // 2, k=K):
    def key(b, j):
        i = at + j
        b[i:i] = b"x"
        return b
    b = bytearray(t.encode("ascii"))
    first = sys.getsizeof(b)
    b, resized, grew, other = keystrokes(b, key, sys.getsizeof, k)
    return b.decode("ascii"), first, b, resized, grew, other


def on_lines(t, at=N // 2, k=K):
    lines = t.splitlines(keepends=True)
    row, col = divmod(at, LINE)

    def key(ls, j):
        line = ls[row]
        c = col + j
        ls[row] = line[:c] + "x" + line[c:]
        return ls
    first = sys.getsizeof(lines[row])
    lines, resized, grew, other = keystrokes(lines, key, lambda ls: sys.getsizeof(ls[row]), k)
    return "".join(lines), first, lines[row], resized, grew, other


WAYS = (('s = s[:i] + "x" + s[i:]', on_str),
        ('b[i:i] = b"x" (bytearray)', on_bytearray),
        ('lines[r] = line[:c] + "x" + line[c:]', on_lines))


def main():
    t = text()
    want = typed(t)
    print(f"05_string_building, Python twin (CPython {platform.python_version()}): "
          "editing in the middle")
    print(f"a text of {N:,} characters (lines of {LINE}), K = {K} keystrokes typed at "
          f"character {N // 2:,};")
    print("sys.getsizeof of the object (of the line, for the list) before and after them;")
    print("changed: the keystrokes after which it differed (a new object or a resized "
          "buffer);")
    print("peak: the most tracemalloc's peak rose during one keystroke, those that changed it "
          "and the rest")
    print(f"  {'way':<37} {'size before':>11} {'after':>10} {'changed':>7} "
          f"{'peak changed':>12} {'peak rest':>9}  same")
    for name, way in WAYS:
        got, first, obj, resized, grew, other = way(t)
        print(f"  {name:<37} {first:>11,} {sys.getsizeof(obj):>10,} {resized:>7} "
              f"{'-' if grew is None else format(grew, ','):>12} "
              f"{'-' if other is None else format(other, ','):>9}  "
              f"{'yes' if got == want else 'NO (a bug)'}")


if __name__ == "__main__":
    main()
