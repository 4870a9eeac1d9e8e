"""Gather, don't build, in CPython (gather.py): each way writes the same bytes; the
kernel's count of write-family calls (syscw) is exact: one for a joined message and for
os.writev, one per piece for a write each; tracemalloc's peak is bounded by what each way
holds: the joined copy (twice, nearly, for a + b + ...), against a few small objects for
os.writev and a write per piece, whatever the body's size. The bounds hold on CPython 3.11
and 3.13."""
import os
import unittest

from gather import H, gathered, joined, piecewise, pieces_of, plus, run

SMALL = 16384  # bytes: a list of memoryviews and the iovecs of a few dozen pieces


class Gather(unittest.TestCase):
    def test_every_way_writes_the_pieces_in_order(self):
        for body in (0, 100, 70_000):
            pieces = pieces_of(H, body)
            for way in (joined, plus, piecewise, gathered):
                got, _, _ = run(way, pieces)
                self.assertEqual(got, b"".join(pieces), f"{way.__name__}, body {body}")

    def test_syscw_counts_one_call_joined_or_gathered_and_one_per_piece_otherwise(self):
        pieces = pieces_of(H, 100)
        for way, want in ((joined, 1), (plus, 1), (piecewise, len(pieces)), (gathered, 1)):
            self.assertEqual(run(way, pieces)[1], want, way.__name__)

    def test_joining_holds_the_message_and_writev_does_not(self):
        tops = {}
        for body in (100_000, 1 << 20):
            pieces = pieces_of(H, body)
            total = sum(map(len, pieces))
            tops[body] = {w.__name__: run(w, pieces)[2] for w in (joined, plus, piecewise, gathered)}
            t = tops[body]
            self.assertGreaterEqual(t["joined"], total, f"body {body}: the joined copy")
            self.assertLess(t["joined"], total + SMALL)
            last = len(pieces[-1])
            self.assertGreaterEqual(t["plus"], 2 * total - 2 * last, f"body {body}: a + b + ... "
                                    "holds the last two sums at once")
            self.assertLess(t["plus"], 2 * total + SMALL)
            self.assertLess(t["piecewise"], SMALL, f"body {body}")
            self.assertLess(t["gathered"], SMALL, f"body {body}")
        self.assertLess(abs(tops[100_000]["gathered"] - tops[1 << 20]["gathered"]), 256,
                        f"os.writev's peak does not follow the body: {tops}")

    def test_a_short_writev_is_continued_from_the_byte_it_stopped_at(self):
        r, w = os.pipe()
        try:
            os.set_blocking(w, False)  # a non-blocking pipe returns what fit, short
            pieces = pieces_of(H, 200_000)
            want = b"".join(pieces)
            got = bytearray()
            views = [memoryview(p) for p in pieces]
            shorts = 0
            while views:
                asked = sum(map(len, views))
                try:
                    n = os.writev(w, views)
                except BlockingIOError:
                    got += os.read(r, 1 << 20)
                    continue
                shorts += n < asked
                while views and n >= len(views[0]):
                    n -= len(views[0])
                    views.pop(0)
                if n:
                    views[0] = views[0][n:]
                got += os.read(r, 1 << 20)
            os.close(w)
            w = -1
            while chunk := os.read(r, 1 << 20):
                got += chunk
            self.assertEqual(bytes(got), want)
            self.assertGreaterEqual(shorts, 1, "200 KB into a 64 KiB pipe: some writev is short")
        finally:
            os.close(r)
            if w >= 0:
                os.close(w)


if __name__ == "__main__":
    unittest.main()
