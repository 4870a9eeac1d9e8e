/* cli: argument checking and fatal errors shared by every program in the repository.
 * Bad input gets one line on stderr naming the argument and the accepted range, and
 * exit status 2; running out of memory gets one line and exit status 1. */
#ifndef CLI_H
#define CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Parse arg as a whole number in [min, max] (commas and '_' allowed: 1,000,000), or
 * exit 2 with "prog: NAME must be a whole number from MIN to MAX, got 'ARG'". */
uint64_t cli_u64(const char *prog, const char *name, const char *arg, uint64_t min, uint64_t max);

/* main's optional first argument: --heavy or --light runs that implementation alone;
 * without it both run. Sets *heavy and *light; returns the index of the next argument. */
int cli_side(int argc, char **argv, bool *heavy, bool *light);

/* An optional first argument that is a flag (--counted): whether argv[1] is flag. The
 * index of the next argument is 1 + the result, as cli_side's is. */
bool cli_flag(int argc, char **argv, const char *flag);

/* Exit 2 with "prog: too many arguments (usage: prog USAGE)" when argc > max_args + 1. */
void cli_max_args(const char *prog, int argc, int max_args, const char *usage);

/* At exit, flush and close stdout; if any of the output could not be written (a full
 * disk, /dev/full, a closed pipe's EIO), print "prog: write error: REASON" and exit 1, as
 * coreutils' close_stdout does. Call it first in main: output is never lost silently. */
void cli_close_stdout_at_exit(const char *prog);

/* Flush stdout now. When it cannot be written, exit 1 at once, with the write error
 * cli_close_stdout_at_exit (called first) prints, instead of computing output that would
 * be lost: a demo that takes seconds calls it between its tables. */
void cli_flush_stdout(void);

/* The path of this program's executable (/proc/self/exe), into path[size]; and the
 * directory it is in, into dir[size], where a program or test finds the programs built
 * beside it. 0, or -1 with errno (ENAMETOOLONG when it does not fit). Nothing allocated. */
int cli_exe_path(char *path, size_t size);
int cli_exe_dir(char *dir, size_t size);

/* Run `PREFIX DIR/PROG ARGS`, DIR being this program's directory (cli_exe_dir), or PROG
 * itself when it starts with '/': stdout
 * dropped, stderr read into out[size] ('\0'-ended, cut to fit; the rest is read and
 * dropped, so the program never writes to a closed pipe). No shell: PREFIX and ARGS are
 * split at blanks (no quotes, no expansion); PREFIX's leading NAME=value words are set in
 * the program's environment and its other words are a tool that runs it (valgrind ...),
 * "" for neither. Under Valgrind with --trace-children=yes, only the program (and the
 * tool) start under it, not a shell as well. Returns the exit status (127 when the
 * program or tool is not found, as a shell says), or -1 when it could not be run (errno
 * E2BIG: more than 64 words) or did not exit. The tests run the programs built beside
 * them this way. */
int cli_run_beside(const char *prefix, const char *prog, const char *args, char *out, size_t size);
/* The same, the program's stdout written to the file descriptor out_fd (-1: dropped). */
int cli_run_beside_fd(const char *prefix, const char *prog, const char *args, int out_fd,
                      char *out, size_t size);

/* The lines of out (a program's stderr, as cli_run_beside read it) that are the program's
 * own: not Valgrind's ("==PID== ..."), which make check adds when it runs a suite under
 * memcheck. *first (if first is not NULL) points at the first of them in out, "" when
 * there is none. out is not changed. */
int cli_own_lines(const char *out, const char **first);

/* Exit 1 with "prog: out of memory while WHAT". */
_Noreturn void cli_oom(const char *prog, const char *what);

#endif
