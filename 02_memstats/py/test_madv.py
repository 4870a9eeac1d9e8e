"""Lesson 02's Python twin of test_madv.c: the mapping's figures are exact where they are
the kernel's count of its pages (LazyFree, what each page reads), within bounds where the
interpreter runs between the steps (its own faults, and the Rss of a mapping of its own
the kernel may have merged with the one measured).

Run by make test-02 (tools/twins.sh). mmap.mmap(-1, n, flags=MAP_PRIVATE): MADV_DONTNEED
drops every page, and they read 0; MADV_FREE (twice, pinned) leaves Rss and puts every page
in LazyFree, the bytes still there without memory pressure, and the write after faults
nothing. mmap.mmap(-1, n) is MAP_SHARED: MADV_FREE is refused (EINVAL), and MADV_DONTNEED
leaves the bytes in the shared memory. mmap has no name for MADV_PAGEOUT on 3.11 and 3.13;
the number 21 drops the lazily free pages. A list of a million floats dropped gives
CPython's arenas back (munmap): the process's Anonymous falls, and LazyFree stays 0. The
same on CPython 3.11 and 3.13.
"""
import errno
import json
import mmap
import os
import subprocess
import sys
import unittest

import madv as m

N = 4 << 20  # 1,024 pages
PAGES = N // m.PAGE
SLACK_BYTES = 64 * m.PAGE  # a merged neighbour's pages, the interpreter's own
SLACK_FAULTS = 64


class Private(unittest.TestCase):
    def test_madv_dontneed_drops_every_page_and_they_read_zeros(self):
        r = m.pinned(lambda: m.advise(N, False, mmap.MADV_DONTNEED))
        self.assertIsNone(r["error"])
        self.assertGreaterEqual(r["written"]["Rss"], N)
        self.assertLessEqual(r["advised"]["Rss"], SLACK_BYTES, "Rss falls by every page at once")
        self.assertEqual(r["advised"]["LazyFree"], 0)
        self.assertEqual((r["old"], r["zeros"]), (0, PAGES), "every page reads 0")
        self.assertGreaterEqual(r["write_faults"], PAGES, "a fault a page to write again")
        self.assertLessEqual(r["write_faults"], PAGES + SLACK_FAULTS)

    def test_madv_free_keeps_rss_every_page_lazily_free_and_the_old_bytes_without_pressure(self):
        r = m.pinned(lambda: m.advise(N, False, mmap.MADV_FREE))
        self.assertIsNone(r["error"])
        self.assertEqual(r["advised"]["LazyFree"], N, "every page lazily free")
        self.assertGreaterEqual(r["advised"]["Rss"], N, "and still resident")
        self.assertEqual((r["old"], r["zeros"]), (PAGES, 0),
                         "no memory pressure: each page still reads its byte (the API allows zeros)")
        self.assertLessEqual(r["write_faults"], SLACK_FAULTS, "no fault a page to write")
        self.assertEqual(r["rewritten"]["LazyFree"], 0, "a write takes its page out of LazyFree")

    def test_mmap_names_no_madv_pageout_and_its_number_drops_the_lazily_free_pages(self):
        self.assertFalse(hasattr(mmap, "MADV_PAGEOUT"), "no name on CPython 3.11 and 3.13")
        p = m.pinned(lambda: m.pageout(N))
        if p["error"] is not None:
            self.skipTest(f"no MADV_PAGEOUT on this kernel (5.4 and later): errno {p['error']}")
        self.assertLessEqual(p["lazy_out"]["Rss"], SLACK_BYTES)
        self.assertEqual(p["lazy_out"]["LazyFree"], 0)
        self.assertEqual((p["old"], p["zeros"]), (0, PAGES), "the dropped pages read 0")
        dirty = p["dirty_out"]
        if m.swap_total() == 0:
            self.assertGreaterEqual(dirty["Rss"], N, "no swap: a dirty page has nowhere to go")
        else:
            self.assertGreaterEqual(dirty["Rss"] + dirty["Swap"], N, "swap: resident or in swap")


class Shared(unittest.TestCase):
    def test_madv_free_on_shared_memory_is_einval(self):
        r = m.pinned(lambda: m.advise(N, True, mmap.MADV_FREE))
        self.assertEqual(r["error"], errno.EINVAL)
        self.assertEqual(r["advised"]["LazyFree"], 0)

    def test_madv_dontneed_on_shared_memory_unmaps_the_pages_but_keeps_their_bytes(self):
        r = m.pinned(lambda: m.advise(N, True, mmap.MADV_DONTNEED))
        self.assertIsNone(r["error"])
        self.assertLessEqual(r["advised"]["Rss"], SLACK_BYTES, "unmapped from this process")
        self.assertEqual((r["old"], r["zeros"]), (PAGES, 0), "the shared memory still holds every byte")
        self.assertLessEqual(r["read_faults"], PAGES, "mapped back, some pages a fault")


class Objects(unittest.TestCase):
    def test_a_dropped_list_of_floats_gives_the_arenas_back_and_nothing_is_lazily_free(self):
        count = 1_000_000  # CPython keeps a few MiB whatever the count: under a quarter of this
        # in an interpreter of its own: the other tests' freed arenas would serve the floats
        p = subprocess.run([sys.executable, "-c", f"import json, madv; print(json.dumps(madv.objects({count})))"],
                           capture_output=True, text=True, cwd=os.path.dirname(os.path.abspath(m.__file__)))
        self.assertEqual(p.returncode, 0, p.stderr)
        o = json.loads(p.stdout)
        built = o["built"]["Anonymous"] - o["before"]["Anonymous"]
        left = o["dropped"]["Anonymous"] - o["before"]["Anonymous"]
        self.assertGreaterEqual(built, count * 24, "a float is 24 B, and the list 8 B a float")
        self.assertLessEqual(left, built // 4, f"the arenas given back: {built} B built, {left} B left")
        self.assertEqual(o["built"]["LazyFree"] + o["dropped"]["LazyFree"], 0, "never MADV_FREE")


class Program(unittest.TestCase):
    def test_a_bad_mib_is_one_line_naming_it_and_status_2(self):
        for bad in ("0", "1025", "abc", "-1"):
            p = subprocess.run([sys.executable, m.__file__, bad], capture_output=True, text=True)
            self.assertEqual(p.returncode, 2, bad)
            self.assertEqual(len(p.stderr.splitlines()), 1, p.stderr)
            self.assertIn("MIB", p.stderr)


if __name__ == "__main__":
    unittest.main()
