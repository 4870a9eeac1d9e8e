"""A comparator that allocates, in Python: the same words sorted case-insensitively two
ways, every call to str.lower counted by a wrapper. sorted(words, key=lower) calls the key
once per word; functools.cmp_to_key with a comparator that lowers both sides calls it
twice per comparison, and a sort makes about n log2 n comparisons. Each call makes a new
string, even for a word already lower case (checked with `is`). Ties go by the bytes, as
in sortkey.h: the key is the pair (lowered word, word), and the comparator compares the
words when their lowered forms are equal. The twin of sortkey.h and demo/sortkey.c."""
import functools
import platform

N = 1000
MASK = (1 << 64) - 1


def words(n, seed=1):
    """sortkey_words: n words of 3 to 8 letters, each a-z in upper or lower case at
    random, from the same xorshift64* (common/shuffle.h) and seed: the same words as C's."""
    r = (seed ^ 0x9e3779b97f4a7c15) or 1
    out = []

    def rand():
        nonlocal r
        r ^= r >> 12
        r ^= (r << 25) & MASK
        r ^= r >> 27
        return (r * 2685821657736338717) & MASK

    for _ in range(n):
        length = 3 + rand() % 6
        w = []
        for _ in range(length):
            x = rand()
            w.append(chr((ord("A") if (x >> 8) % 2 else ord("a")) + x % 26))
        out.append("".join(w))
    return out


class Counted:
    """str.lower with its calls counted, and the comparisons of a comparator."""

    def __init__(self):
        self.lowers = 0
        self.compares = 0

    def lower(self, s):
        self.lowers += 1
        return s.lower()

    def cmp(self, a, b):
        self.compares += 1
        la, lb = self.lower(a), self.lower(b)
        if la != lb:
            return (la > lb) - (la < lb)
        return (a > b) - (a < b)


def sort_keyed(ws):
    """sorted with key=: the key made once per word."""
    c = Counted()
    return sorted(ws, key=lambda w: (c.lower(w), w)), c


def sort_cmp(ws):
    """functools.cmp_to_key with a comparator that lowers both sides."""
    c = Counted()
    return sorted(ws, key=functools.cmp_to_key(c.cmp)), c


def main():
    print(f"03_benchmem, Python twin (CPython {platform.python_version()}): sorted() "
          f"case-insensitively, str.lower's calls counted")
    print(f"  {'':34} {'words':>6} {'comparisons':>12} {'lower calls':>12} {'per word':>9}")
    for n in (N, 2 * N, 4 * N):
        ws = words(n)
        a, ck = sort_keyed(ws)
        b, cc = sort_cmp(ws)
        print(f"  {'key=(lower, word)':34} {n:6,} {'':>12} {ck.lowers:12,} {ck.lowers / n:9.2f}")
        print(f"  {'cmp_to_key, lowering both sides':34} {n:6,} {cc.compares:12,} "
              f"{cc.lowers:12,} {cc.lowers / n:9.2f}")
        if a != b:
            print("the two orders differ: NO (a bug)")
            raise SystemExit(1)
    w = "abc"
    print(f"str.lower of a word already lower case returns a new string: "
          f"{'yes' if w.lower() is not w else 'no'}")
    print("the same order both ways, at every N: yes")


if __name__ == "__main__":
    main()
