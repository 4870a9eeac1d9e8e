"""Lesson 05's Python statements, as exact counts (tools/twins.sh runs these with
Debian's python3; make test-05 includes them)."""
import unittest

from concat import attribute, fstring, module_level, one_ref, parts_of, two_refs
from containers import bytearray_resizes, heap_growth, join, one_ref_join, two_refs_join

N = 4000


def prefixes(n, size=10):
    """Bytes of s before each of n appends of size: what a full copy per part costs."""
    return size * n * (n - 1) // 2


class Concat(unittest.TestCase):
    def setUp(self):
        self.parts = parts_of(N)
        self.want = ''.join(self.parts)

    def test_with_a_second_reference_every_append_makes_a_new_string(self):
        s, moves, copied = two_refs(self.parts)
        self.assertEqual(s, self.want)
        self.assertEqual(moves, N, "every += should make a new object")
        self.assertEqual(copied, prefixes(N), "and copy all of s into it: n^2/2 parts")

    def test_with_one_reference_cpython_resizes_in_place(self):
        s, moves, copied = one_ref(self.parts)
        self.assertEqual(s, self.want)
        # the moves are the allocator's: a few dozen here, never one per part
        self.assertLess(moves, N // 20, f"{moves} moves in {N} appends: not in place")
        self.assertLess(copied, prefixes(N) // 20)

    def test_at_module_level_every_append_makes_a_new_string_even_with_one_reference(self):
        # CPython 3.11 resizes in place only a function's local variable
        s, moves, copied = module_level(self.parts)
        self.assertEqual(s, self.want)
        self.assertEqual(moves, N, "every += on a module-level s should make a new object")
        self.assertEqual(copied, prefixes(N))

    def test_as_an_attribute_every_append_makes_a_new_string_even_with_one_reference(self):
        s, moves, copied = attribute(self.parts)
        self.assertEqual(s, self.want)
        self.assertEqual(moves, N, "every o.s += should make a new object")
        self.assertEqual(copied, prefixes(N))

    def test_an_f_string_makes_a_new_string_per_part_even_with_one_reference(self):
        s, moves, copied = fstring(self.parts)
        self.assertEqual(s, self.want)
        self.assertEqual(moves, N)
        self.assertEqual(copied, prefixes(N))


class Containers(unittest.TestCase):
    def test_bytearray_append_over_allocates(self):
        # 1 MiB of 16-byte parts: an exact-size realloc per part would be 65,536
        # reallocations; bytearray grows by about an eighth each time (CPython 3.11, 3.13)
        length, _, resizes = bytearray_resizes(1 << 16)
        self.assertEqual(length, 1 << 20)
        self.assertEqual(resizes, 80, "bytearray += should reallocate 80 times")

    def test_join_allocates_exactly_the_result_and_nothing_more_on_the_way(self):
        # ''.join measures the parts first: the heap grows by the string's exact size
        # (sys.getsizeof) and never holds more while it joins
        grew, peak, size = heap_growth(join, parts_of(1000))
        self.assertEqual(grew, size, "the heap should grow by exactly the result")
        self.assertEqual(peak, grew, "and hold nothing more on the way")

    def test_one_reference_grows_s_to_exactly_its_size_and_never_holds_two(self):
        # a local with one reference: resized to the exact size, no spare room and no
        # second string beside it (a few bytes of the loop's own objects at most)
        grew, peak, size = heap_growth(one_ref_join, parts_of(1000))
        self.assertEqual(grew, size, "s should end at exactly its size")
        self.assertLess(peak - grew, 100, "the loop should never hold a second string")

    def test_a_second_reference_holds_the_old_string_beside_the_new(self):
        # the same measure sees a copy: at the last append, old s and new s are both live
        grew, peak, size = heap_growth(two_refs_join, parts_of(1000))
        self.assertEqual(grew, size)
        self.assertGreater(peak - grew, size - 100, "the old s should be live beside the new")


if __name__ == '__main__':
    unittest.main()
