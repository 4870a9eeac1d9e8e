"""A log line nobody reads, in CPython (logline.py): with DEBUG off, an f-string argument is
built anyway (tracemalloc's peak rises by at least the length of the big str in it), while
"%s" with the str as an argument formats nothing (the peak rises by less than SMALL bytes);
on, both build the line. An argument that calls a function runs in both forms; only a
check of isEnabledFor at the call site skips it. Bounds, not bytes: they hold on CPython
3.11 and 3.13."""
import logging
import unittest

import logline
from logline import N, SITES, run

SMALL = 1024  # bytes: a record is never made while off; nothing near N is traced
OFF, ON = logging.INFO, logging.DEBUG


def site(name):
    return dict(SITES)[name]


class Logline(unittest.TestCase):
    def test_an_fstring_is_built_while_debug_is_off(self):
        calls, lines, peak = run(site('logger.debug(f"payload {big}")'), OFF)
        self.assertEqual(lines, 0)
        self.assertGreaterEqual(peak, N, "the f-string's text: at least a byte a character")
        self.assertLess(peak, N + SMALL)

    def test_percent_s_with_an_argument_formats_nothing_while_debug_is_off(self):
        calls, lines, peak = run(site('logger.debug("payload %s", big)'), OFF)
        self.assertEqual(lines, 0)
        self.assertLess(peak, SMALL, "nothing formatted, no record made")

    def test_on_both_forms_build_the_line(self):
        for name in ('logger.debug(f"payload {big}")', 'logger.debug("payload %s", big)'):
            calls, lines, peak = run(site(name), ON)
            self.assertEqual(lines, 1, name)
            self.assertGreaterEqual(peak, N, name)

    def test_an_argument_that_calls_a_function_runs_in_both_forms_unless_the_check_comes_first(self):
        for name, off, on in (('logger.debug(f"{describe(o)}")', 1, 1),
                              ('logger.debug("%s", describe(o))', 1, 1),
                              ('if logger.isEnabledFor(DEBUG): logger.debug(...)', 0, 1)):
            self.assertEqual(run(site(name), OFF)[:2], (off, 0), f"{name}, debug off: "
                             "describe's calls and lines written")
            self.assertEqual(run(site(name), ON)[:2], (on, 1), f"{name}, debug on")

    def test_every_form_writes_the_same_line(self):
        got = []
        for name in ('logger.debug(f"{describe(o)}")', 'logger.debug("%s", describe(o))',
                     'if logger.isEnabledFor(DEBUG): logger.debug(...)'):
            lg, h = logline.make_logger(ON)
            site(name)(lg)
            got.append(h.last)
        self.assertEqual(got, ["order 4711 of alice, 3 items"] * 3)


if __name__ == "__main__":
    unittest.main()
