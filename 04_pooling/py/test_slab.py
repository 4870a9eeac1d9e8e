"""Lesson 04's Python twin of test_slab.c: pymalloc keeps an arena while one object in it
lives (slab.py). Run by make test-04 (tools/twins.sh). The arena counts are
sys._debugmallocstats()'s, exact; RSS is bounded by ratios, the kernel counting pages.
Measured on CPython 3.11 and 3.13: the same on both (arenas of 1 MiB, pools of 16 KiB).
"""
import json
import os
import subprocess
import sys
import unittest

import slab

N = 100_000
MIB = 1024 * 1024


class Sizes(unittest.TestCase):
    def test_arenas_of_1_mib_and_pools_of_16_kib_on_3_11_and_3_13(self):
        if sys.version_info[:2] not in ((3, 11), (3, 13)):
            self.skipTest("measured on CPython 3.11 and 3.13")
        s = slab.mallocstats()
        self.assertEqual(s["arena_size"], MIB, f"CPython {sys.version_info[:2]}'s arena")
        self.assertEqual(s["pool_size"], 16 * 1024, f"CPython {sys.version_info[:2]}'s pool")

    def test_objects_of_this_size_come_from_pymalloc(self):
        self.assertLessEqual(sys.getsizeof(bytes(slab.SIZE)), 512, "at most 512 B: pymalloc's")


def run_alone(n, k):
    """slab.run(n, k) in an interpreter of its own: the resident set then counts this
    experiment alone. In the test process, what earlier tests freed can still be resident
    in glibc's heap at the first snapshot and given back (trimmed) during the experiment,
    and a run on Debian 13 once read the RSS the survivors keep 8 MB short."""
    code = f"import json, slab; print(json.dumps(slab.run({n}, {k})))"
    out = subprocess.run([sys.executable, "-c", code], cwd=os.path.dirname(os.path.abspath(__file__)),
                         capture_output=True, text=True, check=True)
    snaps, survivors = json.loads(out.stdout)
    return snaps, survivors


class Survivors(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.runs = {k: run_alone(N, k) for k in (100, 10_000, N)}
        cls.arena = slab.mallocstats()["arena_size"]

    def made(self, k):
        s, _ = self.runs[k]
        return s["made"]["arenas"] - s["before"]["arenas"]

    def test_the_objects_take_arenas_enough_for_their_bytes(self):
        need = N * sys.getsizeof(bytes(slab.SIZE)) / self.arena
        self.assertGreaterEqual(self.made(100), int(need), "arenas for N objects' bytes")

    def test_one_survivor_in_100_keeps_every_arena_and_the_resident_set(self):
        s, survivors = self.runs[100]
        self.assertEqual(survivors, N // 100)
        self.assertEqual(s["dropped"]["arenas"], s["made"]["arenas"],
                         "99% of the objects freed, and not one arena given back")
        grown = s["made"]["rss"] - s["before"]["rss"]
        self.assertGreater(s["dropped"]["rss"] - s["before"]["rss"], 0.9 * grown,
                           "RSS stays: every arena holds survivors")

    def test_ten_survivors_keep_all_but_one_arena(self):
        # 10 objects of 97 B, one per 10,000 made: each lies in an arena of its own
        s, survivors = self.runs[10_000]
        self.assertEqual(survivors, 10)
        self.assertGreaterEqual(s["dropped"]["arenas"], s["made"]["arenas"] - 1)

    def test_dropping_the_survivors_gives_the_arenas_back(self):
        for k, (s, _) in self.runs.items():
            back = s["empty"]["reclaimed"] - s["made"]["reclaimed"]
            self.assertGreaterEqual(back, self.made(k) - 1 if k != N else 0, f"k = {k}: arenas reclaimed")
            self.assertLessEqual(s["empty"]["arenas"], s["before"]["arenas"] + 1,
                                 f"k = {k}: back to where it started, within an arena")
            grown = s["made"]["rss"] - s["before"]["rss"]
            self.assertLess(s["empty"]["rss"] - s["before"]["rss"], 0.2 * grown,
                            f"k = {k}: the arenas' pages go back to the kernel")

    def test_a_single_survivor_lets_every_new_arena_go(self):
        s, survivors = self.runs[N]
        self.assertEqual(survivors, 1)
        self.assertLessEqual(s["dropped"]["arenas"], s["before"]["arenas"] + 1)


if __name__ == "__main__":
    unittest.main()
