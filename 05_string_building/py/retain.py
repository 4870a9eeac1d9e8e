"""retain.py: a short view pins a big buffer, in CPython.

    retain.py    (no arguments)

M messages of 1 MiB, each a bytes object of its own made at run time, and a 16-byte field
kept from each, four ways: a memoryview slice, which holds the whole object it views; a
bytes slice and a str slice (of the message as a str), which copy the field; and bytes()
of a memoryview slice, a copy made from a view. tracemalloc counts what is still traced
once the messages are dropped: what the kept fields hold.
"""
import platform
import sys
import tracemalloc

M = 64           # messages
SIZE = 1 << 20   # bytes per message
OFF = 1000       # where the field starts
FIELD = 16       # bytes of the field

_ALPHABET = bytes(range(ord("a"), ord("z") + 1))
_BASE = _ALPHABET * (SIZE // len(_ALPHABET) + 2)
_BASE_STR = _BASE.decode("ascii")


def message(i):
    """Message i: SIZE bytes, a new bytes object (a slice of a bytes copies)."""
    return _BASE[i % 26:i % 26 + SIZE]


def message_str(i):
    """Message i as a str: SIZE characters, a new object."""
    return _BASE_STR[i % 26:i % 26 + SIZE]


def field_of(i):
    """The field message i holds at OFF, as bytes."""
    return message(i)[OFF:OFF + FIELD]


def as_view(i):
    return memoryview(message(i))[OFF:OFF + FIELD]


def as_bytes(i):
    return message(i)[OFF:OFF + FIELD]


def as_str(i):
    return message_str(i)[OFF:OFF + FIELD]


def as_copied_view(i):
    return bytes(memoryview(message(i))[OFF:OFF + FIELD])


WAYS = (("memoryview(msg)[1000:1016]", as_view),
        ("msg[1000:1016] (bytes)", as_bytes),
        ("s[1000:1016] (str)", as_str),
        ("bytes(memoryview(msg)[1000:1016])", as_copied_view))


def kept(keep, m=M):
    """Keep a field of each of m messages (each message dropped once keep returns);
    return the fields and the bytes tracemalloc still traces: what they hold."""
    tracemalloc.start()
    try:
        fields = [keep(i) for i in range(m)]
        size, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return fields, size


def main():
    print(f"05_string_building, Python twin (CPython {platform.python_version()}): "
          "a short view pins a big buffer")
    print(f"{M} messages of {SIZE // (1 << 20)} MiB, a {FIELD}-byte field kept from each; "
          "tracemalloc's bytes")
    print("still traced once every message is dropped (the list of fields included):")
    print(f"  {'kept as':<34} {'traced':>11} {'per message':>12}")
    for what, keep in WAYS:
        fields, size = kept(keep)
        print(f"  {what:<34} {size:>11,} {size // M:>12,}")
        del fields
    view = as_view(0)
    print(f"a kept memoryview slice: len {len(view)}, sys.getsizeof {sys.getsizeof(view)}; "
          f"its .obj, the message, len {len(view.obj):,}")


if __name__ == "__main__":
    main()
