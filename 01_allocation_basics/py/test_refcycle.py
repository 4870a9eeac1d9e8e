"""refcycle.py pinned: when CPython frees a structure, with and without a cycle.

Run by make test-01 (tools/twins.sh) with Debian's /usr/bin/python3. The sizes of the
objects differ between versions (CPython 3.13's are larger), so the tests compare what
is traced with what was built, and count objects, never bytes typed in. Where 3.11 and
3.13 differ (the collector's threshold, when it starts by itself), each is stated.
"""
import gc
import subprocess
import sys
import unittest

import refcycle as r

SIZES = (1, 8, 100)


class Refcounting(unittest.TestCase):
    def test_del_of_the_last_reference_to_an_acyclic_tree_frees_every_block_at_once(self):
        for n in SIZES:
            built, dropped, _, _, _ = r.steps(n, r.weak)
            self.assertGreaterEqual(built[0], n + 1, f"{n} children: a block per node at least")
            self.assertEqual(dropped, (0, 0), f"{n} children: left traced after the del")

    def test_a_cycle_keeps_every_block_after_del_until_gc_collect_frees_it(self):
        for n in SIZES:
            built, dropped, found, collected, _ = r.steps(n, r.strong)
            self.assertEqual(built[0], n + 1, f"{n} children: one block per node")
            self.assertEqual(dropped, built, f"{n} children: del freed part of the cycle")
            self.assertEqual(collected, (0, 0), f"{n} children: left traced after gc.collect()")
            self.assertEqual(found, n + 1, f"{n} children: gc.collect() counts the nodes it found")

    def test_gc_collect_returns_zero_when_there_is_no_cycle(self):
        _, _, found, _, _ = r.steps(8, r.weak)
        self.assertEqual(found, 0)

    def test_the_collector_is_only_off_while_measuring(self):
        gc.enable()
        r.steps(8, r.strong)
        self.assertTrue(gc.isenabled())


class Finalizers(unittest.TestCase):
    def test_a_cycle_of_objects_with_del_is_collected_and_each_del_runs_once(self):
        # PEP 442: a cycle of objects with __del__ is collected, not left in gc.garbage
        gc.collect()
        garbage = len(gc.garbage)
        _, dropped, found, collected, ran = r.steps(8, r.strong, r.Finalized)
        self.assertEqual(dropped[0], 9)
        self.assertEqual(found, 9)
        self.assertEqual(ran, 9)
        self.assertEqual(collected, (0, 0))
        self.assertEqual(len(gc.garbage), garbage)


class Collector(unittest.TestCase):
    # (threshold, new container objects before generation 0 starts by itself)
    MEASURED = {(3, 11): ((700, 10, 10), 701), (3, 13): ((2000, 10, 10), 2001)}

    def measured(self):
        v = sys.version_info[:2]
        if v not in self.MEASURED:
            self.skipTest(f"measured on CPython 3.11 and 3.13, this is {v[0]}.{v[1]}")
        return self.MEASURED[v]

    def test_the_thresholds_are_700_on_3_11_and_2000_on_3_13(self):
        self.assertEqual(gc.get_threshold(), self.measured()[0])

    def test_a_collection_starts_by_itself_one_new_container_past_the_threshold(self):
        threshold, made = self.measured()
        got, gen = r.first_collection()
        self.assertEqual(gen, 0)
        self.assertEqual(got, made, f"gc.get_threshold()[0] is {threshold[0]}")
        self.assertEqual(got, gc.get_threshold()[0] + 1)


    def test_containers_freed_as_fast_as_they_are_made_start_no_collection(self):
        self.assertEqual(r.churn(100 * gc.get_threshold()[0]), 0)


class Program(unittest.TestCase):
    def test_an_argument_gets_one_line_and_exit_status_2(self):
        p = subprocess.run([sys.executable, r.__file__, "x"], capture_output=True, text=True)
        self.assertEqual(p.returncode, 2)
        self.assertEqual(len(p.stderr.splitlines()), 1)


if __name__ == "__main__":
    unittest.main()
