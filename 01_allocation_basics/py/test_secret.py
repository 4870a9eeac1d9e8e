"""secret.py pinned: the copies of a secret a bytearray, bytes, str and a slice leave.

Run by make test-01 (tools/twins.sh) with Debian's /usr/bin/python3. The same on CPython
3.11 and 3.13. Each case runs in a process of its own (secret.case_in_child): a case run
after another in one process would find what the other left.
"""
import unittest

import secret as s


def counts(k):
    return [c for _, c in s.case_in_child(k)]


class Instrument(unittest.TestCase):
    def test_no_copy_before_the_secret_is_put_one_after_and_none_once_wiped_in_place(self):
        # the search keeps the secret masked and its buffer in a mapping it skips
        self.assertEqual(counts(0), [(0, 0, 0), (1, 0, 0), (0, 0, 0)])


class Copies(unittest.TestCase):
    def test_bytes_of_a_bytearray_is_a_copy_no_wipe_reaches_and_del_leaves_it_in_the_freed_block(self):
        # bytes cannot be written: wiping b leaves it; del frees its block without clearing it
        self.assertEqual(counts(1), [(1, 0, 0), (1, 0, 0)])

    def test_decode_makes_a_str_copy_that_del_leaves_behind(self):
        self.assertEqual(counts(2), [(1, 0, 0), (1, 0, 0)])

    def test_a_slice_of_a_bytearray_is_a_copy_of_its_own_that_must_be_wiped_too(self):
        self.assertEqual(counts(3), [(1, 0, 0), (0, 0, 0)])


if __name__ == "__main__":
    unittest.main()
