"""Editing in the middle, in CPython (gap.py): every way types the same text; a str makes
a new object of the whole text on every keystroke, its peak at least the text's size; a
bytearray resizes once in K keystrokes (room to spare) and otherwise traces only a few
small objects, whatever N; a list of lines makes a new line a keystroke, its peak bounded
by the line, not the text. Bounds from sys.getsizeof and N, never typed: they hold on
CPython 3.11 and 3.13."""
import sys
import unittest

from gap import K, LINE, N, on_bytearray, on_lines, on_str, text, typed

SMALL = 1024  # bytes: an index, a slice, a short line


class Gap(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.t = text()

    def test_every_way_types_the_same_text(self):
        want = typed(self.t)
        for way in (on_str, on_bytearray, on_lines):
            self.assertEqual(way(self.t)[0], want, way.__name__)

    def test_a_str_is_made_anew_whole_on_every_keystroke(self):
        _, first, s, resized, grew, other = on_str(self.t)
        self.assertEqual(resized, K, "every keystroke a new str")
        self.assertIsNone(other)
        self.assertEqual(sys.getsizeof(s) - first, K, "one more character a keystroke")
        self.assertGreaterEqual(grew, N, "the new str at least, while the old one is alive")
        self.assertLess(grew, 3 * first, "the halves and the new str, no more")

    def test_a_bytearray_inserts_in_place_and_resizes_once_with_room_to_spare(self):
        _, first, b, resized, grew, other = on_bytearray(self.t)
        self.assertEqual(resized, 1, "full when loaded: the first keystroke resizes it")
        self.assertGreater(sys.getsizeof(b) - first, K, "room to spare past the K keystrokes")
        self.assertGreaterEqual(grew, N, "the resize: a buffer of the whole text")
        self.assertLess(other, SMALL, "the other keystrokes: no buffer, a few small objects")

    def test_a_list_of_lines_makes_a_new_line_a_keystroke_whatever_the_text(self):
        _, first, line, resized, grew, other = on_lines(self.t)
        self.assertEqual(resized, K)
        self.assertEqual(sys.getsizeof(line) - first, K)
        self.assertLess(grew, 2 * sys.getsizeof(line) + SMALL, "bounded by the line")
        short = text()[:10 * LINE]
        self.assertEqual(on_lines(short, 5 * LINE + 3, 10)[0],
                         short[:5 * LINE + 3] + "x" * 10 + short[5 * LINE + 3:])


if __name__ == "__main__":
    unittest.main()
