"""Where a CPython str keeps its characters (shortstr.py), as exact counts: one block of
sys.getsizeof bytes per str made at run time, whatever its length, and no allocation for
the empty string or a Latin-1 character taken out of a str. Sizes come from
sys.getsizeof, never typed: they hold on CPython 3.11 and 3.13 alike."""
import sys
import unittest

from shortstr import char_of, made_at_run_time, slice_of

LENGTHS = (2, 15, 31, 32, 33, 100, 1000, 100000)


class WhereTheCharactersLive(unittest.TestCase):
    def test_a_str_made_at_run_time_is_one_block_of_its_getsizeof_whatever_its_length(self):
        for n in LENGTHS:
            s, sizes = made_at_run_time(n)
            self.assertEqual(len(s), n)
            self.assertEqual(len(sizes), 1, f"{n} characters: one block, header and text together")
            self.assertEqual(sizes[0], sys.getsizeof(s), f"{n} characters: the block is the whole object")

    def test_a_longer_str_grows_by_its_characters_alone(self):
        (_, [small]), (_, [big]) = made_at_run_time(2), made_at_run_time(1000)
        self.assertEqual(big - small, 1000 - 2, "one byte per ASCII character, no buffer to outgrow")


class CachedStrings(unittest.TestCase):
    def test_an_ascii_character_taken_out_of_a_str_allocates_nothing_and_is_shared(self):
        text = 'user:42'
        for i, ch in enumerate(text):
            c, sizes = char_of(text, i)
            self.assertEqual(sizes, [], f"s[{i}] ({ch!r}) should allocate nothing")
            self.assertIs(c, char_of('x' + text, i + 1)[0], f"{ch!r} should be one cached object")

    def test_every_latin1_character_is_cached(self):
        text = ''.join(chr(i) for i in range(256))
        for i in range(256):
            c, sizes = char_of(text, i)
            self.assertEqual(sizes, [], f"chr({i}) should come from the cache")
            self.assertIs(c, chr(i))

    def test_the_empty_string_is_one_object_and_allocates_nothing(self):
        e, sizes = slice_of('user:42', 3, 3)
        self.assertEqual(sizes, [])
        self.assertIs(e, str())

    def test_a_character_past_latin1_is_a_new_block_each_time(self):
        wide = '\u0101\u0101'
        c, sizes = char_of(wide, 0)
        self.assertEqual(sizes, [sys.getsizeof(c)], "U+0101 is not cached: one block of its getsizeof")
        self.assertIsNot(c, char_of(wide, 1)[0])


if __name__ == '__main__':
    unittest.main()
