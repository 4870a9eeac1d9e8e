"""uninit.py pinned: the struct module's padding and bytearray's zeros.

Run by make test-01 (tools/twins.sh) with Debian's /usr/bin/python3. The same on CPython
3.11 and 3.13: every figure follows C's alignment on x86-64, worked out from the sizes of
the fields, never typed in.
"""
import struct
import unittest

import uninit as u

B, Q, H = (struct.calcsize("=" + c) for c in "bqh")


class Layout(unittest.TestCase):
    def test_native_pads_between_the_fields_but_not_after_the_last(self):
        # b at 0, q at the next multiple of its size, h right after q: no padding after h.
        self.assertEqual(struct.calcsize("@bqh"), Q + Q + H)

    def test_a_0q_at_the_end_pads_to_c_s_sizeof(self):
        self.assertEqual(struct.calcsize("@bqh0q"), 3 * Q)

    def test_standard_sizes_have_no_padding(self):
        self.assertEqual(struct.calcsize("=bqh"), B + Q + H)

    def test_native_pack_writes_its_pad_bytes_as_zeros(self):
        for fmt, _ in u.FORMATS:
            pads = u.pad_bytes(fmt)
            self.assertEqual(len(pads), struct.calcsize(fmt) - (B + Q + H), fmt)
            self.assertEqual(pads, [0] * len(pads), f"{fmt}: pad bytes that are not 0")

    def test_the_fields_survive_a_round_trip(self):
        for fmt, _ in u.FORMATS:
            self.assertEqual(struct.unpack(fmt, struct.pack(fmt, *u.RECORD)), u.RECORD, fmt)


class Zeroed(unittest.TestCase):
    def test_bytearray_reads_zero_after_a_dirty_one_of_the_same_size_was_dropped(self):
        for n in u.SIZES:
            for _ in range(u.ROUNDS):
                self.assertEqual(u.fresh_after_dirty(n), 0, f"n = {n}")


if __name__ == "__main__":
    unittest.main()
