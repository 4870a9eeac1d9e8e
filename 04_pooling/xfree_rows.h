/* xfree_rows.h: how lesson 04's xfree tests read the demo (test_xfree.c and the exercise
 * 8_predict_xfree): `demo/xfree N SIZE` run as a process of its own, so that its heap is
 * the same on every run whatever the test worker's is, and the two rows of its table, the
 * consumer alive throughout and a thread per step. For the Criterion test files only. */
#ifndef XFREE_ROWS_H
#define XFREE_ROWS_H

#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <stdio.h>
#include <string.h>

#include "cli.h"

/* One row of the demo's table, as it printed it. */
struct xfree_row {
    size_t chunk, producer, consumer, neither;
    long long held;
    char mmapped[16]; /* "no", "yes, no", "yes, yes" */
};

/* "1,040" -> 1040 */
static inline unsigned long long xfree_number(const char *s)
{
    unsigned long long v = 0;

    for (; *s; s++) {
        if (*s >= '0' && *s <= '9')
            v = v * 10 + (unsigned long long)(*s - '0');
    }
    return v;
}

/* A row: SIZE B CHUNK B MMAP'D... PRODUCER CONSUMER NEITHER HELD B */
static inline void xfree_parse_row(char *line, struct xfree_row *r)
{
    char *tok[16], *save = NULL;
    int n = 0;

    for (char *t = strtok_r(line, " \n", &save); t != NULL && n < 16; t = strtok_r(NULL, " \n", &save))
        tok[n++] = t;
    cr_assert(n >= 9, "a row of the demo's table, got %d fields", n);
    r->chunk = (size_t)xfree_number(tok[2]);
    r->held = (long long)xfree_number(tok[n - 2]);
    r->neither = (size_t)xfree_number(tok[n - 3]);
    r->consumer = (size_t)xfree_number(tok[n - 4]);
    r->producer = (size_t)xfree_number(tok[n - 5]);
    snprintf(r->mmapped, sizeof r->mmapped, "%s%s%s", tok[4], n - 5 > 5 ? " " : "",
             n - 5 > 5 ? tok[5] : "");
}

/* Run PROG N SIZE (PROG a path under this test binary's directory: "demo/xfree" beside the
 * lesson's tests) and read its two rows. */
static inline void xfree_demo_rows(const char *prog, size_t n, size_t size,
                                   struct xfree_row *alive, struct xfree_row *per_step)
{
    char dir[4096], cmd[4200], line[256];
    int row = 0;
    FILE *f;

    cr_assert(eq(int, cli_exe_dir(dir, sizeof dir), 0));
    snprintf(cmd, sizeof cmd, "'%s/%s' %zu %zu", dir, prog, n, size);
    f = popen(cmd, "r");
    cr_assert(f != NULL, "%s", cmd);
    for (int i = 0; fgets(line, sizeof line, f) != NULL; i++) {
        if (i == 2 || i == 5)
            xfree_parse_row(line, row++ == 0 ? alive : per_step);
    }
    cr_assert(eq(int, pclose(f), 0), "%s: exit status 0 (make builds demo/xfree with the "
              "lesson's tests and its exercises)", cmd);
    cr_assert(eq(int, row, 2), "%s: two rows", cmd);
}

#endif
