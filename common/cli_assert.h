/* cli_assert.h: Criterion assertions on the programs built beside a test binary (demo/...):
 * what every program promises for bad input (cli.h): one line on stderr that names the
 * argument, and exit status 2; and that a run frees everything it took. Include after
 * <criterion/criterion.h>; test files only. A passing assertion allocates nothing. */
#ifndef CLI_ASSERT_H
#define CLI_ASSERT_H

#include <criterion/criterion.h>

#include <stddef.h>
#include <string.h>

#include <valgrind/valgrind.h>

#include "cli.h"
#include "countalloc.h"

/* How many of n bad-input cases to run: all, or under memcheck the first alone (below). */
static inline size_t cli_bad_cases(size_t n)
{
    return RUNNING_ON_VALGRIND && n > 1 ? 1 : n;
}

/* Run prog (a path under the test binary's directory) with each of bad[0..n), a whole
 * argument string each ("1 2" is two arguments): each must exit with status 2 and write
 * one line of its own on stderr (Valgrind's, under make check, left out), which contains
 * name (the argument's, as its usage says: "N", "KIB").
 * Under memcheck (make check), bad[0] alone: each case is a program started under
 * Valgrind, most of a second each, and the cases of one call reach the same message
 * through the same parser (cli.h's, whose every branch test_cli.c runs in-process under
 * memcheck). Every case runs in the plain and the sanitizer builds. */
static inline void cli_assert_bad_args(const char *prog, const char *name,
                                       const char *const *bad, size_t n)
{
    static char out[16 * 1024]; /* under make check, Valgrind's lines too */

    n = cli_bad_cases(n);
    for (size_t i = 0; i < n; i++) {
        const char *line;
        int rc = cli_run_beside("", prog, bad[i], out, sizeof out);
        int lines = cli_own_lines(out, &line);

        cr_assert(rc >= 0, "%s %s did not exit normally", prog, bad[i]);
        cr_assert(rc == 2, "%s %s: expected exit status 2 for bad input, saw %d", prog, bad[i], rc);
        cr_assert(lines == 1, "%s %s: expected one line on stderr, saw %d: %s", prog, bad[i],
                  lines, out);
        cr_assert(strstr(line, name) != NULL, "%s %s: the line should name %s: %s", prog, bad[i],
                  name, line);
    }
}

/* The same, bad being an array: ASSERT_BAD_ARGUMENTS("demo/intern", "N", bad). */
#define ASSERT_BAD_ARGUMENTS(prog, name, bad) \
    cli_assert_bad_args((prog), (name), (bad), sizeof(bad) / sizeof((bad)[0]))

/* Run prog with args and COUNTALLOC_REPORT=1: it must exit with status 0 and report, at
 * exit, 0 bytes in 0 blocks still in use. A sanitizer build's report counts through ASan's
 * hooks and is no measure (countalloc_can_inject() is false there): the exit status alone
 * is checked, and LeakSanitizer fails the run when anything leaks. */
static inline void cli_assert_frees_everything(const char *prog, const char *args)
{
    static char out[16 * 1024];
    int rc = cli_run_beside("COUNTALLOC_REPORT=1", prog, args, out, sizeof out);

    cr_assert(rc == 0, "%s %s: exit status %d: %s", prog, args, rc, out);
    if (countalloc_can_inject())
        cr_assert(strstr(out, "countalloc: in use at exit: 0 bytes in 0 blocks\n") != NULL,
                  "%s %s left blocks in use at exit, or printed no report: %s", prog, args, out);
}

#endif
