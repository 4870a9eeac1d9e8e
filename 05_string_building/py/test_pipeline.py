"""Materialize or stream in CPython (pipeline.py), as bounds: a list per stage holds every
line, kept line and upper-cased line at once, and its peak grows with N; chained
generators hold one line at a time, and their peak stays under one small bound at N and
2N. The bounds come from sys.getsizeof, never typed: they hold on CPython 3.11 and 3.13."""
import sys
import unittest

from pipeline import lines_of, materialized, peak, streamed, sum_gen, sum_list, text_of

N = 5_000
SMALL = 4096  # bytes: more than a generator frame, a few lines and two totals


class SameResult(unittest.TestCase):
    def test_both_ways_keep_every_odd_line_and_count_the_same_length(self):
        for n in (1, 2, 3, 1000):
            text = text_of(n)
            want = sum(len(l) for i, l in enumerate(text.split("\n")[:-1]) if i % 2 == 1)
            self.assertEqual(materialized(text), (n // 2, want), f"{n} lines")
            self.assertEqual(streamed(text), (n // 2, want), f"{n} lines")

    def test_lines_of_finds_a_last_line_without_a_newline(self):
        self.assertEqual(list(lines_of("a\n\nb")), ["a", "", "b"])
        self.assertEqual(list(lines_of("")), [])


class Peaks(unittest.TestCase):
    def test_lists_hold_every_line_every_kept_line_and_every_upper_line_at_the_peak(self):
        for n in (N, 2 * N):
            text = text_of(n)
            lines = text.split("\n")[:-1]
            kept = [l for l in lines if l.startswith(("WARN ", "ERROR "))]
            upper = [l.upper() for l in kept]
            least = sum(map(sys.getsizeof, lines)) + sum(map(sys.getsizeof, upper)) + \
                sys.getsizeof(lines) + sys.getsizeof(kept)
            _, top = peak(materialized, text)
            self.assertGreaterEqual(top, least, f"{n} lines: the three stages are alive at once")
            self.assertLessEqual(top, 2 * least, f"{n} lines: and little more")

    def test_generators_peak_under_a_small_bound_whatever_n(self):
        tops = [peak(streamed, text_of(n))[1] for n in (N, 2 * N, 4 * N)]
        for top in tops:
            self.assertLess(top, SMALL, f"peaks {tops}: one line at a time")
        self.assertLess(max(tops) - min(tops), 64, f"peaks {tops}: not growing with N")

    def test_sum_of_a_list_holds_n_lengths_and_of_a_generator_one(self):
        for n in (N, 2 * N):
            text = text_of(n)
            (a, top_list), (b, top_gen) = peak(sum_list, text), peak(sum_gen, text)
            self.assertEqual(a, b)
            self.assertGreaterEqual(top_list, 8 * n, f"{n} lines: a pointer per length in the list")
            self.assertLess(top_gen, SMALL, f"{n} lines: the generator holds one line")


if __name__ == "__main__":
    unittest.main()
