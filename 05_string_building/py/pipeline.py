"""pipeline.py: materialize or stream, in CPython: a list per stage against generators.

    pipeline.py    (no arguments)

The job of pipeline.h: keep the WARN and ERROR lines of a log (line i is kept exactly
when i is odd), upper-case each, and fold them into a count and a total length. Written
with list comprehensions, each stage a list (str.split's list of lines, the kept lines,
the upper-cased lines), and with generators chained over a loop that finds each line
with str.find. tracemalloc's peak for each, at N and 2N lines; then sum() of a list of
lengths against sum() of a generator.
"""
import platform
import tracemalloc

LEVELS = ("INFO", "WARN", "DEBUG", "ERROR")
HOSTS = ("db", "cache", "auth", "frontend", "search")
N = 10_000


def text_of(n):
    """n log lines, each ending in a newline, line i written as pipeline_line(i) in C."""
    return "".join(f"{LEVELS[i % 4]} request {i} from {HOSTS[i % 5]} took {i * 7 % 1000} ms\n"
                   for i in range(n))


def keep(line):
    return line.startswith(("WARN ", "ERROR "))


def materialized(text):
    """Each stage a list: every line, the kept lines, the upper-cased lines."""
    lines = text.split("\n")[:-1]
    kept = [line for line in lines if keep(line)]
    upper = [line.upper() for line in kept]
    return len(upper), sum([len(u) for u in upper])


def lines_of(text):
    """Each line in turn, found with str.find: one line alive at a time."""
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        if end < 0:
            end = len(text)
        yield text[start:end]
        start = end + 1


def streamed(text):
    """Generators chained: nothing kept but the line in hand and the two totals."""
    kept = (line for line in lines_of(text) if keep(line))
    count = total = 0
    for u in (line.upper() for line in kept):
        count += 1
        total += len(u)
    return count, total


def peak(fn, *args):
    """fn(*args) under tracemalloc: its result and the peak of traced memory."""
    tracemalloc.start()
    try:
        out = fn(*args)
        _, top = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return out, top


def sum_list(text):
    """The lengths in a list first, then summed."""
    return sum([len(line) for line in lines_of(text)])


def sum_gen(text):
    """The lengths summed as the generator makes them."""
    return sum(len(line) for line in lines_of(text))


def main():
    print(f"05_string_building, Python twin (CPython {platform.python_version()}): "
          "materialize or stream")
    print("N log lines (the text made before tracing); keep the WARN and ERROR lines,")
    print("upper-case each, count them and their length; tracemalloc's peak during each way:")
    print(f"  {'N':>7} {'text bytes':>11}  {'way':<24} {'kept':>6} {'length':>8} {'peak':>10}")
    for n in (N, 2 * N):
        text = text_of(n)
        rows = [("lists (comprehensions)", materialized), ("generators", streamed)]
        for i, (name, fn) in enumerate(rows):
            (count, total), top = peak(fn, text)
            lead = f"{n:>7,} {len(text.encode()):>11,}" if i == 0 else " " * 19
            print(f"  {lead}  {name:<24} {count:>6,} {total:>8,} {top:>10,}")
    print("sum of the lines' lengths: sum([...]) of a list of them against sum(...) of a generator:")
    for n in (N, 2 * N):
        text = text_of(n)
        (a, la), (b, lb) = peak(sum_list, text), peak(sum_gen, text)
        print(f"  {n:>7,} lines: sum([...]) {a:,} peak {la:,}; sum(...) {b:,} peak {lb:,}")


if __name__ == "__main__":
    main()
