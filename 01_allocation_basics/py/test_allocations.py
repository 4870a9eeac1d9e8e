"""Lesson 01's Python twin, pinned: each line the README states about Python.

Run by make test-01 (tools/twins.sh) with Debian's /usr/bin/python3. Sizes come from
sys.getsizeof, not typed in: CPython 3.13's str header is 8 bytes smaller than 3.11's.
"""
import array
import io
import os
import subprocess
import sys
import unittest

import allocations as a
import zeroed as z

N = 10_000


class Strings(unittest.TestCase):
    def test_a_full_slice_of_a_str_is_the_same_object_not_a_copy(self):
        s = "".join(["user", "000042"])  # made at run time, not a constant
        self.assertIs(s[:], s)
        self.assertIs(s[:len(s)], s)
        self.assertIs(str(s), s)
        self.assertEqual(a.live(lambda: s[:]), (0, 0))

    def test_a_full_slice_of_bytes_is_the_same_object_of_a_bytearray_a_copy(self):
        b = "user000042".encode()
        self.assertIs(b[:], b)
        ba = bytearray(b)
        self.assertIsNot(ba[:], ba)

    def test_a_part_slice_is_one_new_str(self):
        s = "".join(["user", "000042"])
        self.assertIsNot(s[:4], s)
        self.assertEqual(a.live(lambda: s[:4]), (1, sys.getsizeof(s[:4])))

    def test_split_makes_a_new_str_per_field(self):
        s = "".join(["user000042", ",7919"])
        blocks, _ = a.live(lambda: s.split(","))
        # the list's item array and the two fields (the list object itself comes from
        # CPython's free list of lists)
        self.assertEqual(blocks, 1 + 2)

    def test_reading_a_file_makes_a_new_str_per_line(self):
        text = "".join(f"user{i:06d},{i}\n" for i in range(N))
        blocks, _ = a.live(lambda: list(io.StringIO(text)))
        self.assertGreaterEqual(blocks, N)
        self.assertLessEqual(blocks, N + 2)


class Ints(unittest.TestCase):
    def test_small_ints_are_cached_singletons(self):
        self.assertIs(int("256"), 256)        # -5..256: one object each, made at start
        self.assertIsNot(int("257"), 257)     # every other int: a new object
        self.assertIs(int("-5"), -5)

    def test_a_list_of_large_ints_holds_one_object_per_value(self):
        self.assertEqual(len({id(x) for x in a.small_ints(N)}), 256)
        self.assertEqual(len({id(x) for x in a.large_ints(N)}), N)
        small, _ = a.live(lambda: a.small_ints(N))
        large, _ = a.live(lambda: a.large_ints(N))
        self.assertLess(small, 10)              # the list, no int objects
        self.assertGreaterEqual(large, N)       # and one block per int

    def test_an_array_keeps_the_values_in_one_buffer(self):
        blocks, size = a.live(lambda: array.array("q", range(N)))
        self.assertLessEqual(blocks, 2)  # the array object and its buffer
        self.assertGreaterEqual(size, 8 * N)


class Lists(unittest.TestCase):
    def test_list_times_n_is_one_item_array_sized_once(self):
        self.assertEqual(a.live(lambda: [0] * N), (1, 8 * N))

    def test_a_long_list_grows_by_about_an_eighth(self):
        self.assertTrue(1.12 <= a.last_growth(100_000) <= 1.13, a.last_growth(100_000))

    def test_append_over_allocates(self):
        # measured with CPython 3.11 and 3.13 alike: 66 resizes for 100,000 appends,
        # where growing by one element would take 100,000
        self.assertEqual(a.list_resizes(100_000), 66)

    def test_out_of_memory_is_an_exception_you_can_catch(self):
        with self.assertRaises(MemoryError):
            bytearray(1 << 62)



class Bytes(unittest.TestCase):
    """A bytes object keeps its bytes inside the object, after the header: CPython's
    PyBytesObject ends in a flexible array member, ob_sval (C: onealloc.h's one way)."""

    def test_each_byte_of_a_bytes_object_adds_one_byte_to_its_size(self):
        empty = sys.getsizeof(b"")
        for n in (1, 2, 5, 100, 1000, 100_000):
            self.assertEqual(sys.getsizeof(b"x" * n) - empty, n, f"{n} bytes")

    def test_a_bytes_object_of_n_bytes_is_one_allocation_of_its_whole_size(self):
        x = b"x"
        a.live(lambda: x * 2)  # the first snapshot's own blocks, once
        for n in (2, 5, 100, 1000, 100_000):
            # header and bytes in one block (b"" and 1-byte objects are cached singletons)
            self.assertEqual(a.live(lambda: x * n), (1, sys.getsizeof(x * n)), f"{n} bytes")

class Stack(unittest.TestCase):
    def test_deep_recursion_stops_with_RecursionError_at_the_limit_not_a_crash(self):
        limit = sys.getrecursionlimit()

        def down(depth):
            return down(depth + 1)

        with self.assertRaises(RecursionError):
            down(0)
        depth = [0]

        def count(d):
            depth[0] = d
            count(d + 1)

        with self.assertRaises(RecursionError):
            count(1)
        self.assertLessEqual(depth[0], limit, "Python frames stop at sys.getrecursionlimit()")
        self.assertGreater(depth[0], limit - 50, "and not far below it")


if __name__ == "__main__":
    unittest.main()


class Zeroed(unittest.TestCase):
    """bytes(n) is calloc'd: a big one costs no memory until written, and bytes cannot be
    written. bytearray(n) and b"\0" * n write every page. Each is measured in a fresh
    interpreter: in this one, freed memory the allocator kept would serve the next."""

    def grown(self, expr):
        code = f"import zeroed as z; print(z.growth(lambda: {expr}))"
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             cwd=os.path.dirname(os.path.abspath(__file__)), check=True)
        return int(out.stdout)

    def test_a_64_mib_bytes_of_zeros_stays_out_of_the_resident_set(self):
        self.assertLess(self.grown("bytes(z.N)"), 16 * z.MIB)

    def test_a_64_mib_bytearray_writes_every_page(self):
        self.assertGreaterEqual(self.grown("bytearray(z.N)"), 60 * z.MIB)

    def test_a_64_mib_bytes_made_by_repetition_writes_every_page(self):
        self.assertGreaterEqual(self.grown('b"\\0" * z.N'), 60 * z.MIB)

