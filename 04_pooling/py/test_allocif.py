"""Lesson 04's Python twin of test_allocif.c's question: a call that returns a new object
against one that writes into the caller's buffer (allocif.py). Run by make test-04
(tools/twins.sh). tracemalloc's bytes, asserted with bounds that hold on CPython 3.11 and
3.13 alike: a new object per call traces at least its bytes per call; the caller's buffer,
under one byte a call (readinto's count is an int, at most 64 B a call).
"""
import io
import struct
import tracemalloc
import unittest

import allocif

K = 1000
SIZE = 4096


class CallersBuffer(unittest.TestCase):
    def setUp(self):
        tracemalloc.start()
        self.rows = {name.split("(")[0]: (keep, peak)
                     for name, keep, peak in allocif.measure(SIZE, K)}

    def tearDown(self):
        tracemalloc.stop()

    def test_read_makes_a_new_bytes_of_n_every_call(self):
        keep, peak = self.rows["f.read"]
        self.assertGreaterEqual(keep, K * SIZE, f"{K} reads kept: {keep} B traced")
        self.assertGreaterEqual(peak, SIZE, f"{K} reads dropped: a peak of {peak} B")

    def test_readinto_a_reused_bytearray_makes_no_buffer(self):
        keep, peak = self.rows["f.readinto"]
        self.assertLessEqual(keep, K * 64, f"{K} readintos kept: {keep} B, more than their counts")
        self.assertLess(peak, SIZE, f"{K} readintos dropped: a peak of {peak} B, a buffer's worth")

    def test_pack_makes_a_new_bytes_every_call_and_pack_into_none(self):
        keep, _ = self.rows["struct.pack"]
        self.assertGreaterEqual(keep, K * struct.calcsize(allocif.FORMAT),
                                f"{K} packs kept: {keep} B traced")
        keep, _ = self.rows["struct.pack_into"]
        self.assertLess(keep, K, f"{K} pack_intos kept: {keep} B traced, a byte a call or more")

    def test_readinto_fills_the_callers_buffer_with_what_read_returns(self):
        data = bytes(range(256)) * 32
        buf = bytearray(len(data) // 2)
        f = io.BytesIO(data)
        self.assertEqual(f.readinto(buf), len(buf))
        self.assertEqual(bytes(buf), data[:len(buf)])
        self.assertEqual(f.read(len(buf)), data[len(buf):])
        out = bytearray(16)
        struct.pack_into(allocif.FORMAT, out, 0, 1, 2)
        self.assertEqual(bytes(out), struct.pack(allocif.FORMAT, 1, 2))


if __name__ == "__main__":
    unittest.main()
