"""Lesson 02's Python twin of test_threads.c: what a Python thread and a task cost.

Run by make test-02 (tools/twins.sh). The first threads of a new process each map glibc's
default stack and its guard page, and, since each mallocs, a 64 MiB malloc arena of its
own; after the join the process keeps the arenas (and the stacks glibc caches), so as
many threads again map almost nothing. An asyncio task is heap objects: no stack. The
same tests pass on CPython 3.11 and 3.13; the bounds come from the stack and the arena,
never from a run.
"""
import os
import subprocess
import sys
import unittest

import threads as t

N = 4  # 4 default stacks fit glibc's 40 MiB cache of joined threads' stacks
TASKS = 1000
SLACK = 64 * t.KIB  # what a thread maps beyond its stack and its arena (CPython's own)


@unittest.skipIf(t.default_stack() is None, "RLIMIT_STACK is unlimited: glibc's default stack is not the limit")
@unittest.skipIf("MALLOC_ARENA_MAX" in os.environ, "MALLOC_ARENA_MAX limits the arenas")
class Threads(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.r = t.measure_fresh(N, TASKS)
        cls.thread = t.default_stack() + t.PAGE  # the stack and its guard page

    def test_a_first_thread_maps_its_stack_its_guard_page_and_a_malloc_arena(self):
        per = self.r["first"][0] / N
        low = self.thread + t.ARENA
        self.assertGreaterEqual(per, low, "stack, guard page and a 64 MiB arena a thread")
        self.assertLessEqual(per, low + SLACK)

    def test_after_the_join_the_process_keeps_the_arenas(self):
        joined = self.r["first"][1]
        self.assertGreaterEqual(joined, N * t.ARENA)
        self.assertLessEqual(joined, N * (t.ARENA + self.thread + SLACK))

    def test_as_many_threads_again_map_no_new_stack_and_no_new_arena(self):
        self.assertLess(self.r["again"][0] / N, SLACK)

    def test_a_parked_task_is_heap_objects_and_no_stack(self):
        self.assertGreater(self.r["task"], 100)
        self.assertLess(self.r["task"], 8 * t.KIB, "a task: kilobytes at most, never a stack of megabytes")


class Arguments(unittest.TestCase):
    def test_a_bad_n_is_one_line_naming_it_and_status_2(self):
        for bad in ("0", "8", "x", "-1"):
            p = subprocess.run([sys.executable, t.__file__, bad], capture_output=True, text=True)
            self.assertEqual(p.returncode, 2, bad)
            self.assertEqual(p.stderr, "threads.py: N: expected threads a batch from 1 to 7\n", bad)
            self.assertEqual(p.stdout, "", bad)


if __name__ == "__main__":
    unittest.main()
