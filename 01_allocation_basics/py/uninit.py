"""Lesson 01's Python twin of "malloc does not zero": a padded struct and zeroed bytes.

Run by `make py-01` (tools/py.sh). The struct module lays out C's struct uninit_rec
(char, int64_t, int16_t) with native alignment ('@', the default) or none ('='): native
pads between the fields, writes its pad bytes as zeros, and adds no padding at the end
unless the format asks for it ('0q'). bytearray(n) reads 0 in every byte, even right after
a dirty one of the same size was dropped. test_uninit.py pins each figure.
"""
import platform
import struct

FORMATS = [
    ("@bqh", "native: aligned as C, no padding after the last field"),
    ("@bqh0q", "native, '0q' pads the end to an int64's alignment: C's sizeof"),
    ("=bqh", "standard sizes, no alignment: the fields only"),
]
RECORD = (65, 42, 7)  # tag 'A', value, kind
SIZES = (24, 4097, 1 << 16)
ROUNDS = 100


def pad_bytes(fmt):
    """The bytes of struct.pack(fmt, *RECORD) that belong to no field, as a list of ints."""
    packed = struct.pack(fmt, *RECORD)
    fields = set()
    at = 0
    for code in "bqh":
        size = struct.calcsize("=" + code)
        if fmt[0] == "@":
            at = -(-at // size) * size  # native: each field at a multiple of its size
        fields.update(range(at, at + size))
        at += size
    return [b for i, b in enumerate(packed) if i not in fields]


def fresh_after_dirty(n):
    """A bytearray(n) filled with 0xFF and dropped, then a new bytearray(n): its bytes
    that are not 0."""
    dirty = bytearray(n)
    dirty[:] = b"\xff" * n
    del dirty
    fresh = bytearray(n)
    return n - fresh.count(0)


def main():
    print(f"01_allocation_basics, Python twin (CPython {platform.python_version()}): "
          f"struct.pack of {RECORD}, formats b q h")
    for fmt, note in FORMATS:
        pads = pad_bytes(fmt)
        print(f"  {fmt!r:9} calcsize {struct.calcsize(fmt):2}   pad bytes {len(pads):2}, "
              f"not 0: {sum(1 for b in pads if b)}   {note}")
    print(f"\nbytearray(n) right after a bytearray(n) filled with 0xFF was dropped, {ROUNDS} times each")
    for n in SIZES:
        print(f"  n = {n:6,}   bytes not 0: {sum(fresh_after_dirty(n) for _ in range(ROUNDS))}")


if __name__ == "__main__":
    main()
