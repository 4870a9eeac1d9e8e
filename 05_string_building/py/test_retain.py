"""A short view pins a big buffer, in CPython (retain.py): a memoryview slice keeps the
whole message it views, so M fields of 16 bytes hold M messages; bytes and str slices,
and bytes() of a view, copy the field, and the messages are freed. Bounds from
sys.getsizeof, never typed: they hold on CPython 3.11 and 3.13 alike."""
import sys
import unittest

from retain import FIELD, M, SIZE, WAYS, as_view, field_of, kept, message

VIEW, COPIES = WAYS[0], WAYS[1:]


class Retain(unittest.TestCase):
    def test_every_way_keeps_the_same_field(self):
        for what, keep in WAYS:
            fields, _ = kept(keep, 30)
            for i, f in enumerate(fields):
                got = f.encode("ascii") if isinstance(f, str) else bytes(f)
                self.assertEqual(got, field_of(i), f"{what}, message {i}")
                self.assertEqual(len(got), FIELD)

    def test_a_memoryview_slice_keeps_its_whole_message(self):
        fields, traced = kept(VIEW[1])
        whole = sys.getsizeof(message(0))
        self.assertGreaterEqual(traced, M * whole, "every message is still traced")
        self.assertLess(traced, M * (whole + 1024) + sys.getsizeof(fields),
                        "the messages, a view and its buffer each, and the list: no more")
        self.assertTrue(all(len(f.obj) == SIZE for f in fields), "each view's .obj is its message")

    def test_sys_getsizeof_of_a_view_does_not_count_what_it_keeps(self):
        view = as_view(0)
        self.assertEqual(len(view), FIELD)
        self.assertLess(sys.getsizeof(view), 1024)
        self.assertEqual(len(view.obj), SIZE)

    def test_a_bytes_or_str_slice_or_bytes_of_a_view_copies_and_the_message_goes(self):
        for what, keep in COPIES:
            fields, traced = kept(keep)
            self.assertLessEqual(traced, sum(sys.getsizeof(f) for f in fields) + sys.getsizeof(fields),
                                 f"{what}: the copies and the list, no message")
            self.assertLess(traced, SIZE, f"{what}: less than one message in all")


if __name__ == "__main__":
    unittest.main()
