"""gather.py: gather, don't build, in CPython: os.writev of the pieces against one
os.write of b"".join(pieces), of a + b + c, and an os.write per piece.

    gather.py    (no arguments)

The response of gather.h (a status line, 16 header lines, a body, a trailer) written
whole into a memfd, then read back: the bytes each way, the write-family system calls the
kernel counted for this thread (syscw in /proc/thread-self/io), and tracemalloc's peak
while the way ran.
"""
import os
import platform
import tracemalloc

H = 16
BODIES = (100, 1 << 20)


def pieces_of(h, body):
    """The message gather_msg_make writes in C, piece for piece."""
    p = [b"HTTP/1.1 200 OK\r\n"]
    for i in range(h):
        end = "\r\n" if i + 1 == h else ""
        p.append(f"X-Field-{i + 1:03d}: {i * 37 % 1000}\r\n{end}".encode())
    p.append(bytes(ord("a") + j % 26 for j in range(body)))
    p.append(b"X-Trailer: end\r\n")
    return p


def write_all(fd, data):
    """os.write until all of data is written: a short write continued where it stopped."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def joined(fd, pieces):
    write_all(fd, b"".join(pieces))


def plus(fd, pieces):
    """a + b + c + ...: a new bytes object per +, each copying all before it."""
    whole = b""
    for p in pieces:
        whole = whole + p
    write_all(fd, whole)


def piecewise(fd, pieces):
    for p in pieces:
        write_all(fd, p)


def gathered(fd, pieces):
    """os.writev, continued after a short write from the piece and byte it stopped at."""
    views = [memoryview(p) for p in pieces if p]
    while views:
        n = os.writev(fd, views)
        while views and n >= len(views[0]):
            n -= len(views[0])
            views.pop(0)
        if n:
            views[0] = views[0][n:]


WAYS = (("b''.join + write", joined), ("a + b + ... + write", plus),
        ("write per piece", piecewise), ("os.writev", gathered))


def syscw():
    with open("/proc/thread-self/io", "rb") as f:
        for line in f:
            if line.startswith(b"syscw:"):
                return int(line.split()[1])
    raise RuntimeError("no syscw in /proc/thread-self/io")


def run(way, pieces):
    """way into a fresh memfd: what it holds, its syscw delta, tracemalloc's peak."""
    fd = os.memfd_create("gather")
    try:
        before = syscw()
        tracemalloc.start()
        try:
            way(fd, pieces)
            _, top = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        calls = syscw() - before
        os.lseek(fd, 0, os.SEEK_SET)
        got = b""
        while chunk := os.read(fd, 1 << 20):
            got += chunk
    finally:
        os.close(fd)
    return got, calls, top


def main():
    print(f"05_string_building, Python twin (CPython {platform.python_version()}): gather, don't build")
    print(f"a response of {H + 3} pieces written whole into a memfd; syscw: the kernel's count of")
    print("this thread's write-family calls; peak: tracemalloc's, while the way ran:")
    print(f"  {'message':>9}  {'way':<20} {'syscw':>5} {'peak':>10}  same bytes")
    for body in BODIES:
        pieces = pieces_of(H, body)
        want = b"".join(pieces)
        for i, (name, way) in enumerate(WAYS):
            got, calls, top = run(way, pieces)
            lead = f"{len(want):>9,}" if i == 0 else " " * 9
            print(f"  {lead}  {name:<20} {calls:>5} {top:>10,}  {'yes' if got == want else 'NO'}")


if __name__ == "__main__":
    main()
