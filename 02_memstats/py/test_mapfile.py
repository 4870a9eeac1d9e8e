"""Lesson 02's Python twin of test_mapfile.c: what tracemalloc sees of a whole file.

Run by make test-02 (tools/twins.sh). f.read() is traced at the file's size; mmap.mmap and
a line at a time at a peak that does not grow with the file; list(f) keeps a str per line,
sys.getsizeof('') bytes of header on each (49 B on CPython 3.11, 41 B on 3.13: the sizes
come from sys.getsizeof, never typed). The same tests pass on 3.11 and 3.13.
"""
import os
import sys
import unittest

import mapfile as m

KIB = 1024
SIZES = (256 * KIB, 4096 * KIB)
BUFFERS = 16 * KIB  # the file object's own buffers, and what the call makes beside them


class Ways(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.paths = {n: m.make_file(n) for n in SIZES}
        cls.peak = {(n, fn.__name__): m.traced(fn, cls.paths[n])
                    for n in SIZES for fn in (m.read_whole, m.mapped, m.by_lines)}

    @classmethod
    def tearDownClass(cls):
        for path in cls.paths.values():
            os.unlink(path)

    def test_read_is_traced_at_the_files_size(self):
        for n in SIZES:
            peak = self.peak[n, "read_whole"][1]
            self.assertGreaterEqual(peak, n, "one bytes object holds the whole file")
            self.assertLessEqual(peak, n + BUFFERS, f"{n} B file: peak {peak}")

    def test_mmap_is_traced_at_almost_nothing_whatever_the_size(self):
        for n in SIZES:
            peak = self.peak[n, "mapped"][1]
            self.assertLess(peak, BUFFERS, f"{n} B file mapped: the bytes are pages, not objects")
        small, big = (self.peak[n, "mapped"][1] for n in SIZES)
        self.assertLess(abs(big - small), KIB, "16 times the file, the same peak")

    def test_a_line_at_a_time_peaks_at_the_buffers_whatever_the_size(self):
        for n in SIZES:
            self.assertLess(self.peak[n, "by_lines"][1], 4 * BUFFERS)
        small, big = (self.peak[n, "by_lines"][1] for n in SIZES)
        self.assertLess(abs(big - small), KIB)

    def test_the_three_ways_agree(self):
        for n in SIZES:
            results = {self.peak[n, way][0] for way in ("read_whole", "mapped", "by_lines")}
            self.assertEqual(len(results), 1, f"{n} B file: {results}")
            self.assertEqual(results.pop()[0], n)


class Lines(unittest.TestCase):
    def test_list_f_keeps_a_str_per_line_each_with_its_header(self):
        path = m.make_file(256 * KIB)
        try:
            lines, blocks, nbytes = m.kept(path)
        finally:
            os.unlink(path)
        objects = sum(sys.getsizeof(line) for line in lines) + sys.getsizeof(lines)
        self.assertGreaterEqual(blocks, len(lines) + 1, "a block per str, and the list's")
        self.assertLessEqual(blocks, len(lines) + 16, "and a few of the file object's")
        self.assertGreaterEqual(nbytes, objects)
        self.assertLessEqual(nbytes, objects + 2 * KIB)
        chars = sum(len(line) for line in lines)
        self.assertGreater(nbytes - chars, chars, "lines shorter than a header and a "
                           "pointer: more bytes in headers and the list than in text")
        header = sys.getsizeof("")
        self.assertEqual(sys.getsizeof(lines[0]), header + len(lines[0]),
                         "an ASCII str: its characters and a fixed header")
        if sys.version_info[:2] in ((3, 11), (3, 13)):
            self.assertEqual(header, 49 if sys.version_info < (3, 12) else 41,
                             "3.12 dropped the str's wstr pointer: 49 B on 3.11, 41 B on 3.13")

    def test_mmap_refuses_an_empty_file_and_read_returns_empty_bytes(self):
        path = m.make_file(0)
        try:
            with self.assertRaises(ValueError):
                m.mapped(path)
            self.assertEqual(m.read_whole(path), (0, 0, 0))
        finally:
            os.unlink(path)


if __name__ == "__main__":
    unittest.main()
