"""Lesson 04's Python twin of the buddy section: pymalloc rounds a small object up to a
multiple of 16 bytes, not to a power of two (sizeclass.py). Run by make test-04
(tools/twins.sh). Measured on CPython 3.11 and 3.13: the same rule on both (16-byte
classes up to 512 B)."""
import sys
import unittest

import sizeclass


def rule(size):
    """pymalloc's class for a request of size bytes: rounded up to 16, None past 512."""
    return (size + 15) // 16 * 16 if size <= 512 else None


class SizeClasses(unittest.TestCase):
    def test_a_bytes_object_lands_in_its_size_rounded_up_to_16_and_past_512_in_none(self):
        for length in sizeclass.LENGTHS:
            size, cls = sizeclass.class_of(length)
            self.assertEqual(cls, rule(size), f"CPython {sys.version_info[:2]}: bytes of "
                             f"{length} (getsizeof {size}) landed in class {cls}")

    def test_the_lengths_cover_both_sides_of_512(self):
        sizes = [sys.getsizeof(bytes(bytearray(length))) for length in sizeclass.LENGTHS]
        self.assertIn(512, sizes, "the largest pymalloc request")
        self.assertIn(513, sizes, "the first past it")

    def test_a_class_leaves_less_than_16_bytes_of_its_block_unused(self):
        for length in sizeclass.LENGTHS:
            size, cls = sizeclass.class_of(length)
            if cls is not None:
                self.assertLess(cls - size, 16, f"bytes of {length}: {cls} B for {size}")


if __name__ == "__main__":
    unittest.main()
