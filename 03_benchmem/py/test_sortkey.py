"""A comparator that allocates, in Python (sortkey.py), as relations: sorted with key=
calls the key exactly once per word; cmp_to_key with a comparator that lowers both sides
calls str.lower exactly twice per comparison, and the comparisons lie between n - 1 and
n * ceil(log2 n); each call makes a new string; both orders are one, sortkey.h's. They
hold on CPython 3.11 and 3.13 alike."""
import unittest

from sortkey import Counted, sort_cmp, sort_keyed, words


class Calls(unittest.TestCase):
    def test_key_lowers_once_per_word_and_a_lowering_comparator_twice_per_comparison(self):
        for n in (100, 400):
            ws = words(n, 3)
            a, ck = sort_keyed(ws)
            b, cc = sort_cmp(ws)
            self.assertEqual(ck.lowers, n, "key=: one call per word")
            self.assertEqual(ck.compares, 0)
            self.assertEqual(cc.lowers, 2 * cc.compares, "cmp_to_key: two calls per comparison")
            bound = n * (n - 1).bit_length()
            self.assertTrue(n - 1 <= cc.compares <= bound,
                            f"{n} words: {cc.compares} comparisons, not in [{n - 1}, {bound}]")
            self.assertEqual(a, b, f"{n} words: the two orders differ")
            for x, y in zip(a, a[1:]):
                self.assertTrue((x.lower(), x) <= (y.lower(), y), f"{x!r} before {y!r}")

    def test_the_words_are_those_c_makes(self):
        # sortkey_words(&v, 5, 1) in C makes these: the same generator
        self.assertEqual(words(5, 1), ["qZyzlS", "kggd", "AUOsfbt", "ZRYzAP", "cRRe"])

    def test_each_lower_call_makes_a_new_string_even_for_a_word_already_lower_case(self):
        c = Counted()
        for w in ("abc", "Abc", "ABCDEFGH"):
            k1, k2 = c.lower(w), c.lower(w)
            self.assertIsNot(k1, w)
            self.assertIsNot(k1, k2, f"{w!r}: two calls, two strings")
            self.assertEqual(k1, k2)
        self.assertEqual(c.lowers, 6)


if __name__ == "__main__":
    unittest.main()
