"""Lesson 01's Python twin of make faults-01, pinned (faults.py): a new bytearray of 64 MiB
each request faults on every page every request; one reused faults on none; an anonymous
mmap faults in the pass, or, with MAP_POPULATE, inside the mmap call. Each measured in a
fresh interpreter, after the paths run once unmeasured, as faults.py's main does. Bounds,
not figures: the interpreter's own pages may fault beside the buffer's (none did on
CPython 3.11 and 3.13).
"""
import os
import subprocess
import sys
import unittest

import faults as f

SLACK = 8  # the interpreter's own pages, at most
PAGES = f.SIZE // f.PAGE


def measured(call):
    code = (f"import faults as f; f.thp_off(); f.requests(False, count=1); f.mapped(True, f.PAGE); "
            f"print(*f.{call})")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=os.path.dirname(os.path.abspath(__file__)), check=True)
    return [int(x) for x in out.stdout.replace("[", "").replace("]", "").replace(",", " ").split()]


class Faults(unittest.TestCase):
    def test_a_new_64_mib_bytearray_each_request_faults_on_every_page_every_request(self):
        for r, n in enumerate(measured("requests(False)")):
            self.assertGreaterEqual(n, PAGES, f"request {r + 1}: mmap'd by malloc, unmapped by free: "
                                              f"{n} faults for {PAGES} pages")
            self.assertLessEqual(n, PAGES + SLACK, f"request {r + 1}: {n} faults for {PAGES} pages")

    def test_one_bytearray_reused_faults_on_no_page(self):
        for r, n in enumerate(measured("requests(True)")):
            self.assertLessEqual(n, SLACK, f"request {r + 1}: the pages stay mapped, saw {n} faults")

    def test_map_populate_moves_the_faults_from_the_pass_into_the_mmap_call(self):
        in_call, in_pass = measured("mapped(True)")
        self.assertGreaterEqual(in_call, PAGES, f"MAP_POPULATE: {in_call} faults in the call")
        self.assertLessEqual(in_pass, SLACK, f"MAP_POPULATE: {in_pass} faults in the pass")
        in_call, in_pass = measured("mapped(False)")
        self.assertLessEqual(in_call, SLACK, f"without: {in_call} faults in the call")
        self.assertGreaterEqual(in_pass, PAGES, f"without: {in_pass} faults in the pass")


if __name__ == "__main__":
    unittest.main()
