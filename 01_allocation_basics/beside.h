/* beside.h: lesson 01's tests run the programs built beside the test binary (demo/...,
 * misuse/...) and read their stderr. For the Criterion test files only. */
#ifndef BESIDE_H
#define BESIDE_H

#include <criterion/criterion.h>

#include <string.h>

#include "cli.h"

#define OUT_MAX (16 * 1024)

/* cli_run_beside, and the program's stderr in out (OUT_MAX bytes). */
static inline int run(const char *prefix, const char *prog, const char *args, char *out)
{
    int rc = cli_run_beside(prefix, prog, args, out, OUT_MAX);

    cr_assert(rc >= 0, "cannot run %s %s %s beside the test binary", prefix, prog, args);
    return rc;
}

/* Lines of out, Valgrind's own (under make check) left out. */
static inline int lines_of(const char *out)
{
    return cli_own_lines(out, NULL);
}

#endif
