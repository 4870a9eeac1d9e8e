"""Lesson 01's Python twin of "Erasing a secret": the copies of a secret left in the process.

Run by `make py-01` (tools/py.sh). The instrument is C's secret.h in Python: the secret (32
random letters) is never whole in memory, byte i being masked[i] ^ mask[i]; the process's
writable mappings (/proc/self/maps) are read through /proc/self/mem into a buffer that is
an anonymous mapping of its own (mmap), whose range the search skips, since it holds a
copy of what it read last. The search finds its candidates with mmap.find of an 8-byte
piece of a half (the first 8 bytes of each half, kept as bytes: never a half, never the
secret), then compares the rest one byte at a time, masked. Each case runs in a process of
its own (this file run again with --case K): a later case would find what an earlier one
left. test_secret.py pins each count.
"""
import ctypes
import mmap
import os
import platform
import subprocess
import sys

LEN = 32
HALF = LEN // 2
PIECE = 8
LETTERS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
CHUNK = 64 << 10


class Scan:
    """The masked secret, and the search."""

    def __init__(self):
        self.mask = os.urandom(LEN)
        self.masked = bytes(LETTERS[r & 63] ^ m for r, m in zip(os.urandom(LEN), self.mask))
        # the anchors: the first PIECE bytes of each half
        self.anchor = [bytes(self.masked[i] ^ self.mask[i] for i in range(at, at + PIECE)) for at in (0, HALF)]
        self.buf = mmap.mmap(-1, HALF + CHUNK + LEN)
        self.start = ctypes.addressof(ctypes.c_char.from_buffer(self.buf))
        self.end = self.start + len(self.buf)
        self.mem = open("/proc/self/mem", "rb", buffering=0)
        self.prepare()

    def put(self, dst, at=0):
        """The secret written into the bytearray dst at `at`, one byte at a time."""
        for i in range(LEN):
            dst[at + i] = self.masked[i] ^ self.mask[i]

    def _match(self, i, frm, n, avail):
        if i < 0 or i + n > avail:
            return False
        buf, mask, masked = self.buf, self.mask, self.masked
        for j in range(n):
            if buf[i + j] ^ mask[frm + j] != masked[frm + j]:
                return False
        return True

    def prepare(self):
        """The writable ranges of /proc/self/maps, read now, the instrument's own cut out."""
        with open("/proc/self/maps") as f:
            maps = f.read()
        ranges = []
        for line in maps.splitlines():
            fields = line.split()
            if len(fields) < 2 or not fields[1].startswith("rw"):
                continue
            lo, hi = (int(x, 16) for x in fields[0].split("-"))
            if lo < self.start:
                ranges.append((lo, min(hi, self.start)))
            if hi > self.end:
                ranges.append((max(lo, self.end), hi))
        self.ranges = ranges

    def count(self):
        """(whole, first half alone, last half alone) in the process's writable memory.

        The ranges read first are the ones prepare() found before the step (reading the maps
        allocates, and could take the very block a step freed); then the maps are read again,
        and whatever the step mapped since is read too."""
        counts = [0, 0, 0]
        old = self.ranges
        for lo, hi in old:
            self._range(self.mem, lo, hi, counts)
        self.prepare()
        for lo, hi in self.ranges:
            for olo, ohi in old:  # what was read already, cut out
                if olo <= lo < ohi:
                    lo = ohi
                if olo < hi <= ohi:
                    hi = olo
            if lo < hi:
                self._range(self.mem, lo, hi, counts)
        return tuple(counts)

    def _range(self, mem, start, end, counts):
        view = memoryview(self.buf)
        try:
            for a in range(start, end, CHUNK):
                b = min(end, a + CHUNK)
                frm = max(start, a - HALF)
                to = min(end, b + LEN)
                mem.seek(frm)
                got = mem.readinto(view[: to - frm])
                if not got:
                    return
                off, last = a - frm, min(b - frm, got)
                i = self.buf.find(self.anchor[0], off, last + PIECE - 1)
                while 0 <= i < last:
                    if self._match(i, 0, HALF, got):
                        counts[0 if self._match(i + HALF, HALF, HALF, got) else 1] += 1
                    i = self.buf.find(self.anchor[0], i + 1, last + PIECE - 1)
                i = self.buf.find(self.anchor[1], off, last + PIECE - 1)
                while 0 <= i < last:
                    if self._match(i, HALF, HALF, got) and not self._match(i - HALF, 0, HALF, got):
                        counts[2] += 1
                    i = self.buf.find(self.anchor[1], i + 1, last + PIECE - 1)
        except OSError:
            pass  # a mapping the kernel will not copy
        finally:
            view.release()


def wipe(b):
    """Every byte of the bytearray b set to 0, in place."""
    for i in range(len(b)):
        b[i] = 0


def case_bytearray(scan, step):
    step("nothing put yet")
    b = bytearray(LEN)
    scan.put(b)
    step("b = bytearray(32), the secret put in it")
    wipe(b)
    step("  b wiped in place")


def case_bytes(scan, step):
    b = bytearray(LEN)
    scan.put(b)
    s = bytes(b)
    wipe(b)
    step("s = bytes(b), then b wiped")
    del s
    step("  del s")


def case_decode(scan, step):
    b = bytearray(LEN)
    scan.put(b)
    t = b.decode()
    wipe(b)
    step("t = b.decode(), then b wiped")
    del t
    step("  del t")


def case_slice(scan, step):
    b = bytearray(LEN + 8)
    scan.put(b, 8)
    part = b[8:]
    wipe(b)
    step("part = b[8:], then b wiped")
    wipe(part)
    step("  part wiped too")


CASES = [case_bytearray, case_bytes, case_decode, case_slice]


def run_case(k):
    """Case k in this process: a (what, (whole, head, tail)) per step."""
    scan = Scan()
    steps = []
    CASES[k](scan, lambda what: steps.append((what, scan.count())))
    scan.mem.close()
    return steps


def case_in_child(k):
    """Case k in a process of its own: its steps."""
    out = subprocess.run([sys.executable, __file__, "--case", str(k)], check=True, capture_output=True, text=True).stdout
    steps = []
    for line in out.splitlines():
        what, w, h, t = line.rsplit("\t", 3)
        steps.append((what, (int(w), int(h), int(t))))
    return steps


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--case":
        for what, (w, h, t) in run_case(int(sys.argv[2])):
            print(f"{what}\t{w}\t{h}\t{t}")
        return
    print(f"01_allocation_basics, Python twin (CPython {platform.python_version()}): a secret of 32 random letters,")
    print("its copies in this process's writable memory (/proc/self/mem); each case in a process of its own")
    print(f"  {'':44} {'whole':>5} {'first 16':>8} {'last 16':>7}")
    for k in range(len(CASES)):
        for what, (w, h, t) in case_in_child(k):
            print(f"  {what:44} {w:5} {h:8} {t:7}")


if __name__ == "__main__":
    main()
