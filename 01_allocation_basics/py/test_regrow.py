"""Lesson 01's Python twin of make mremap-01, pinned (regrow.py): a big bytearray grows
by realloc, a few page faults whatever its size; bs + b"x" faults once per page it
copies. Each growth is measured in a fresh interpreter, after one not measured (the
interpreter's own first faults on that path), as regrow.py's main does.
"""
import os
import subprocess
import sys
import unittest

import regrow as r

# The faults of one bytearray append whatever its size: none for the block (glibc's
# realloc moves its pages with mremap), a few for the interpreter's own pages.
APPEND_FAULTS_MAX = 64


def measured(way, n):
    code = (f"import regrow as r; r.thp_off(); r.{way}(r.SIZES[0]); "
            f"print(*r.{way}({n}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=os.path.dirname(os.path.abspath(__file__)), check=True)
    faults, intact = out.stdout.split()
    return int(faults), intact == "True"


class Regrow(unittest.TestCase):
    def test_a_bytearray_of_32_or_64_mib_grows_by_one_byte_with_a_few_faults_whatever_its_size(self):
        for n in r.SIZES:
            faults, intact = measured("bytearray_append", n)
            self.assertTrue(intact, f"{n // r.MIB} MiB: the bytes must come through")
            self.assertLessEqual(faults, APPEND_FAULTS_MAX,
                                 f"{n // r.MIB} MiB: realloc moves the pages; {faults} faults "
                                 f"for {n // r.PAGE} pages")

    def test_bytes_concatenation_faults_once_per_page_it_copies(self):
        for n in r.SIZES:
            faults, intact = measured("bytes_concat", n)
            self.assertTrue(intact)
            self.assertGreaterEqual(faults, n // r.PAGE,
                                    f"{n // r.MIB} MiB: a new object, every page written")


if __name__ == "__main__":
    unittest.main()
