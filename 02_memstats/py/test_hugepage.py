"""Lesson 02's Python twin of test_hugepage.c, within bounds (the interpreter runs between
the writes, and may fault or write a page of its own in a mapping beside them).

Run by make test-02 (tools/twins.sh). An anonymous private mmap written one byte per
span takes a fault a span, huge or not, and its Rss grows by H huge pages and a page for
each other span: H is 0 with MADV_NOHUGEPAGE in every mode, 0 in mode never (or without
THP), 0 without advice in mode madvise, and at most the spans that lie whole in the
mapping otherwise. mmap.mmap(-1, n) without flags is MAP_SHARED, shared memory: never
AnonHugePages, whatever the advice. A bytearray(n) is resident whole before any write
(CPython zero-fills it), so writing it costs nothing more. The same on CPython 3.11 and
3.13.
"""
import mmap
import subprocess
import sys
import unittest

import hugepage as h

SPANS = 8
SLACK_FAULTS = 8
PAGE = mmap.PAGESIZE
SLACK_BYTES = 16 * PAGE


class Pages(unittest.TestCase):
    span = h.huge_span()
    mode = h.thp_mode()

    def check(self, r, most, what):
        whole = SPANS if r["offset"] == 0 else SPANS - 1  # a span cut by the start is never huge
        huge = r["huge"]
        self.assertEqual(r["anon_huge"] % self.span, 0, what)
        self.assertLessEqual(huge, min(most, whole), f"{what} in mode {self.mode}")
        self.assertGreaterEqual(r["faults"], SPANS, f"{what}: a fault a span")
        self.assertLessEqual(r["faults"], SPANS + SLACK_FAULTS, f"{what}: a fault a span")
        least = huge * self.span + (SPANS - huge) * PAGE
        self.assertGreaterEqual(r["rss"], least, f"{what}: H = {huge}")
        self.assertLessEqual(r["rss"], least + SLACK_BYTES, f"{what}: H = {huge}")
        return huge

    def test_madv_nohugepage_maps_no_huge_page_in_any_mode(self):
        r = h.mapped(SPANS, self.span, mmap.MADV_NOHUGEPAGE)
        self.assertEqual(self.check(r, 0, "MADV_NOHUGEPAGE"), 0)

    def test_without_advice_only_mode_always_maps_huge_pages(self):
        r = h.mapped(SPANS, self.span, None)
        self.check(r, SPANS if self.mode == "always" else 0, "no advice")

    def test_madv_hugepage_maps_up_to_every_whole_span_unless_the_mode_is_never(self):
        r = h.mapped(SPANS, self.span, mmap.MADV_HUGEPAGE)
        self.check(r, 0 if self.mode in ("never", "missing") else SPANS, "MADV_HUGEPAGE")

    def test_a_shared_mapping_is_shmem_and_never_counts_anon_huge_pages(self):
        r = h.mapped(SPANS, self.span, mmap.MADV_HUGEPAGE, mmap.MAP_SHARED)
        self.assertEqual(r["anon_huge"], 0)
        self.assertGreaterEqual(r["faults"], SPANS)

    def test_a_bytearray_is_resident_whole_before_any_write(self):
        r = h.allocated(SPANS, self.span)
        self.assertGreaterEqual(r["rss_before"], SPANS * self.span, "zero-filled when made")
        self.assertLessEqual(r["rss"], SLACK_BYTES, "the writes add nothing")
        self.assertLessEqual(r["faults"], SLACK_FAULTS)


class Arguments(unittest.TestCase):
    def test_a_bad_spans_is_one_line_naming_it_and_status_2(self):
        for bad in ("0", "513", "x", "-1"):
            p = subprocess.run([sys.executable, h.__file__, bad], capture_output=True, text=True)
            self.assertEqual(p.returncode, 2, bad)
            self.assertEqual(len(p.stderr.splitlines()), 1, p.stderr)
            self.assertIn("SPANS", p.stderr)


if __name__ == "__main__":
    unittest.main()
