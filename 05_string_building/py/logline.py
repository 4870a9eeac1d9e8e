"""logline.py: a log line nobody reads, in CPython: what a debug line costs while DEBUG is
off, by how the call site writes it.

    logline.py    (no arguments)

A logger at INFO, its handler formatting each line and counting it (no stream, so that
the peak is the line's, not a buffer's). An f-string is built before
logger.debug is called, so its text is made whether the line is written or not;
logger.debug("... %s", arg) keeps the arguments and formats only a line it writes. Either
way the arguments themselves are evaluated before the call: an argument that calls a
function (describe(o)) runs in both forms; only `if logger.isEnabledFor(logging.DEBUG):`
skips it. Counted: describe's calls and the lines written (exact); tracemalloc's peak
during the call, above what was traced before it, with BIG a str of a million characters.
"""
import logging
import platform
import tracemalloc

N = 1_000_000  # characters in BIG
BIG = "x" * N


class Obj:
    def __init__(self, id_, user, items):
        self.id, self.user, self.items = id_, user, items


O = Obj(4711, "alice", 3)
calls = 0


def describe(o):
    """An argument that does work and allocates: "order 4711 of alice, 3 items"."""
    global calls
    calls += 1
    return f"order {o.id} of {o.user}, {o.items} items"


class Counting(logging.Handler):
    """Formats each record it is given, as a handler that writes would, and counts it."""

    def __init__(self):
        super().__init__()
        self.lines = 0
        self.last = None

    def emit(self, record):
        self.last = self.format(record)
        self.lines += 1


def make_logger(level=logging.INFO):
    """A logger of its own at level, its handler a Counting one ("%(message)s")."""
    logger = logging.getLogger("logline")
    logger.handlers.clear()
    logger.propagate = False
    logger.setLevel(level)
    h = Counting()
    h.setFormatter(logging.Formatter("%(message)s"))
    logger.addHandler(h)
    return logger, h


# Each site as a caller writes it: (what the row says, the function).
def fstring_big(lg):
    lg.debug(f"payload {BIG}")


def args_big(lg):
    lg.debug("payload %s", BIG)


def fstring_describe(lg):
    lg.debug(f"{describe(O)}")


def args_describe(lg):
    lg.debug("%s", describe(O))


def guarded_describe(lg):
    if lg.isEnabledFor(logging.DEBUG):
        lg.debug("%s", describe(O))


SITES = (('logger.debug(f"payload {big}")', fstring_big),
         ('logger.debug("payload %s", big)', args_big),
         ('logger.debug(f"{describe(o)}")', fstring_describe),
         ('logger.debug("%s", describe(o))', args_describe),
         ('if logger.isEnabledFor(DEBUG): logger.debug(...)', guarded_describe))


def run(site, level):
    """site once, the logger at level (warmed by a call first): describe's calls, the lines
    written, and tracemalloc's peak during the call above what was traced before it."""
    global calls
    lg, h = make_logger(level)
    site(lg)  # warm-up: the logger's level cache
    h.lines, h.last = 0, None
    before_calls = calls
    tracemalloc.start()
    try:
        base, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        site(lg)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return calls - before_calls, h.lines, peak - base


def main():
    print(f"05_string_building, Python twin (CPython {platform.python_version()}): "
          "a log line nobody reads")
    print("a logger at INFO (DEBUG off) or DEBUG (on); big is a str of "
          f"{N:,} characters;")
    print("describe(o) returns \"order 4711 of alice, 3 items\": its calls and the lines "
          "written, a call:")
    print(f"  {'call site':<50} {'debug':>5} {'describe':>8} {'lines':>5}")
    for name, site in SITES:
        for level in (logging.INFO, logging.DEBUG):
            c, lines, _ = run(site, level)
            print(f"  {name if level == logging.INFO else '':<50} "
                  f"{'off' if level == logging.INFO else 'on':>5} {c:>8} {lines:>5}")
    print("\ntracemalloc's peak during the call, above what was traced before it (bytes):")
    print(f"  {'call site':<50} {'debug':>5} {'peak':>11}")
    for name, site in SITES[:2]:
        for level in (logging.INFO, logging.DEBUG):
            _, _, peak = run(site, level)
            print(f"  {name if level == logging.INFO else '':<50} "
                  f"{'off' if level == logging.INFO else 'on':>5} {peak:>11,}")


if __name__ == "__main__":
    main()
