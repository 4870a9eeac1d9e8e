"""Lesson 02's Python twin of test_spawn.c.

Run by make test-02 (tools/twins.sh). In a process of its own (THP off there, and in its
children, would change the other tests' huge pages): a bytearray of 8 MiB written, a
child started and reaped each way, then the bytearray written one byte a page. After
subprocess.run and os.posix_spawn: no fault, no page table copied (os.posix_spawn is
glibc's, clone3 with CLONE_VM | CLONE_VFORK; subprocess's child is started with vfork on
CPython 3.11 and with that clone3 on 3.13, as make clones-02 ARGS=python shows: the test
passes on both). After os.fork + os.execv: a fault a page, and at most SLACK more, the
interpreter's own pages written during the pass. Each way returns the child's exit
status; a program that does not exist is FileNotFoundError from subprocess.run and
os.posix_spawn, exit status 127 from the forked child.
"""
import ast
import os
import subprocess
import sys
import unittest

import spawn

MIB = 8
SLACK = 64
PAGES = (MIB << 20) // spawn.PAGE
MISSING = "/nonexistent/program"


class Faults(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        code = f"import spawn; print(spawn.figures({MIB}))"
        p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           cwd=os.path.dirname(os.path.abspath(spawn.__file__)), check=True)
        cls.figures = ast.literal_eval(p.stdout.strip())

    def test_subprocess_run_and_posix_spawn_leave_the_parent_no_fault(self):
        for name in ("subprocess.run", "os.posix_spawn"):
            pages, faults, code = self.figures[name]
            self.assertEqual(pages, PAGES, name)
            self.assertEqual(code, 0, name)
            self.assertEqual(faults, 0, f"{name}: no page table copied, no fault; saw {faults}")

    def test_fork_and_execv_leave_a_fault_a_page(self):
        pages, faults, code = self.figures["os.fork + os.execv"]
        self.assertEqual(pages, PAGES)
        self.assertEqual(code, 0)
        self.assertGreaterEqual(faults, pages, "fork write-protects every page: a fault each")
        self.assertLessEqual(faults, pages + SLACK, "and a few of the interpreter's own")


class Status(unittest.TestCase):
    def test_each_way_returns_the_exit_status(self):
        for name, start in spawn.WAYS:
            self.assertEqual(start("/bin/true"), 0, name)
            self.assertEqual(start("/bin/false"), 1, name)

    def test_a_program_that_does_not_exist_is_an_error_or_exit_127(self):
        with self.assertRaises(FileNotFoundError):
            spawn.run_subprocess(MISSING)
        with self.assertRaises(FileNotFoundError):
            spawn.run_posix_spawn(MISSING)
        self.assertEqual(spawn.run_fork_exec(MISSING), 127, "the child's exec failed: it exits 127")

    def test_a_bad_argument_gets_one_line_and_exit_status_2(self):
        for bad in ("0", "4097", "abc"):
            p = subprocess.run([sys.executable, spawn.__file__, bad], capture_output=True, text=True)
            self.assertEqual(p.returncode, 2, bad)
            self.assertEqual(len(p.stderr.splitlines()), 1, p.stderr)
            self.assertIn("MIB", p.stderr)

    def test_once_takes_one_of_three_ways_and_names_the_others(self):
        for bad in (["--once"], ["--once", "vfork"], ["--once", "fork", "2"]):
            p = subprocess.run([sys.executable, spawn.__file__, *bad], capture_output=True, text=True)
            self.assertEqual(p.returncode, 2, bad)
            self.assertEqual(len(p.stderr.splitlines()), 1, p.stderr)
            self.assertIn("subprocess, posix_spawn, fork", p.stderr)
        p = subprocess.run([sys.executable, spawn.__file__, "--once", "posix_spawn"],
                           capture_output=True, text=True)
        self.assertEqual((p.returncode, p.stdout, p.stderr), (0, "", ""))


if __name__ == "__main__":
    unittest.main()
