"""intern.py: many equal strings read from data, as separate objects and interned.

    intern.py    (no arguments)

N names split from one big text (record i names city i % K, the names made at run time so
that no literal in this file is one of them) are N separate str objects even when equal:
`is` is false, and tracemalloc counts a block for each. sys.intern hands back one object
per distinct value, so the list holds K objects, and tracemalloc shows what the others
cost. Then what CPython interns by itself, measured: a literal in compiled code that
looks like an identifier, one that does not, a string made at run time, one character.
"""
import platform
import sys
import tracemalloc

CITIES = ("Amsterdam", "Barcelona", "Copenhagen", "Dublin", "Edinburgh", "Frankfurt",
          "Gothenburg", "Helsinki", "Istanbul", "Ljubljana", "Marseille", "Nottingham",
          "Oslo", "Prague", "Reykjavik", "Stockholm")
N = 100_000
KS = (16, 1_000, 100_000)


def name(k):
    """Name number k: a city and a number, e.g. Oslo-0."""
    return f"{CITIES[k % len(CITIES)]}-{k // len(CITIES)}"


def text_of(n, k):
    """One big text of n names separated by commas, record i naming name(i % k)."""
    return ",".join(name(i % k) for i in range(n))


def held(make):
    """Run make() under tracemalloc; return its result and the bytes still traced after
    it returned (what the result holds, and any table it grew on the way)."""
    tracemalloc.start()
    try:
        out = make()
        size, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return out, size


def split_names(text):
    """The names, as str.split makes them: one new object each."""
    return held(lambda: text.split(","))


def interned_names(text):
    """The names, each passed through sys.intern: one object per distinct value."""
    return held(lambda: [sys.intern(s) for s in text.split(",")])


def interned_again(text):
    """The same, with every name already interned (a first pass kept alive): the second
    pass adds no str, only its list."""
    first = [sys.intern(s) for s in text.split(",")]
    again, size = interned_names(text)
    del first
    return again, size


def distinct_objects(names):
    return len({id(s) for s in names})


def auto_interned():
    """What CPython makes one object by itself, measured: (what, is-the-same) pairs."""
    ident = eval("'hello_world'") is eval("'hello_world'")
    spaced = eval("'hello world!'") is eval("'hello world!'")
    parts = ["hello_", "world"]
    runtime = "".join(parts) is "".join(parts)
    text = "xa,ya"
    char = text[1] is text[4]
    return [("a literal like an identifier, 'hello_world', compiled twice", ident),
            ("a literal that is not, 'hello world!', compiled twice", spaced),
            ("a string made at run time, ''.join(['hello_', 'world']), twice", runtime),
            ("one character taken out of a string, 'xa,ya'[1] and [4]", char)]


def main():
    print(f"05_string_building, Python twin (CPython {platform.python_version()}): interning")
    print(f"{N:,} names split from one text, record i naming city i % K; the distinct objects")
    print("in the list, and the bytes tracemalloc says it holds (the list itself included);")
    print("'again': interned when every name already was (the list alone):")
    print(f"  {'K':>8} {'split: objects':>15} {'bytes':>11} {'interned: objects':>18} "
          f"{'bytes':>11} {'again':>9}")
    for k in KS:
        text = text_of(N, k)
        split, split_bytes = split_names(text)
        inter, inter_bytes = interned_names(text)
        again, again_bytes = interned_again(text)
        print(f"  {k:>8,} {distinct_objects(split):>15,} {split_bytes:>11,} "
              f"{distinct_objects(inter):>18,} {inter_bytes:>11,} {again_bytes:>9,}")
        del split, inter, again
    text = text_of(2 * len(CITIES), len(CITIES))
    a, b = text.split(",")[0], text.split(",")[len(CITIES)]
    print(f"split: {a!r} == {b!r} is {a == b}, and {a!r} is {b!r} is {a is b}; "
          f"interned, is is {sys.intern(a) is sys.intern(b)}")
    print(f"sys.getsizeof({a!r}) is {sys.getsizeof(a)} bytes, {len(a)} of them its characters")
    print("what CPython makes one object by itself (x is y):")
    for what, same in auto_interned():
        print(f"  {str(same):<5}  {what}")


if __name__ == "__main__":
    main()
