/* cli_assert.h: a Criterion assertion on a program's command line, for the tests that run
 * the programs built beside them (cli_run_beside): every bad argument gets exit status 2
 * and one line of its own on stderr that names the argument. Include after
 * <criterion/criterion.h>. A passing assertion allocates nothing. */
#ifndef CLI_ASSERT_H
#define CLI_ASSERT_H

#include <string.h>

#include <criterion/criterion.h>

#include "cli.h"

/* Run PROG (a path under the test's directory, "demo/intern") with each of the n argument
 * strings in bad[] and assert status 2 and one line naming `name`; Valgrind's own lines,
 * which make check adds, are left out (cli_own_lines). */
static inline void cli_assert_bad_arguments(const char *prog, const char *name,
                                            const char *const *bad, size_t n)
{
    static char out[16 * 1024]; /* under make check, Valgrind's lines too */

    for (size_t i = 0; i < n; i++) {
        int rc = cli_run_beside("", prog, bad[i], out, sizeof out);
        const char *line;
        int lines = cli_own_lines(out, &line);

        cr_assert(rc == 2, "%s %s: expected exit status 2, saw %d", prog, bad[i], rc);
        cr_assert(lines == 1, "%s %s: expected one line on stderr, saw %d: %s", prog, bad[i],
                  lines, out);
        cr_assert(strstr(line, name) != NULL, "%s %s: the line should name %s, saw: %s", prog,
                  bad[i], name, line);
    }
}

/* The same, bad being an array: ASSERT_BAD_ARGUMENTS("demo/intern", "N", bad). */
#define ASSERT_BAD_ARGUMENTS(prog, name, bad) \
    cli_assert_bad_arguments((prog), (name), (bad), sizeof(bad) / sizeof((bad)[0]))

#endif
