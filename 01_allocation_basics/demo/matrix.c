/* matrix.c: a rows x cols matrix of doubles three ways (matrix.h): one malloc per row,
 * one block of values and one of row pointers, one block alone. What each asks of malloc,
 * counted, glibc's chunks for those requests, whether row i + 1 starts where row i ends,
 * and the sum of every element, the same each way. make matrix-01. Usage: matrix [ROWS
 * [COLS]], 1,000 x 1,000 unless given; at most MAX_VALUES values (128 MiB), so COLS goes
 * up to MAX_VALUES / ROWS, and without it, 1,000 or that if it is less. */
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>

#include "cli.h"
#include "matrix.h"
#include "report.h"

#include <valgrind/valgrind.h>

#define PROG "matrix"
#define MAX_VALUES (16u << 20)
/* glibc's starting mmap threshold, fixed: left alone, freeing a mapped block raises it,
 * and the same request would then come from the heap with a different chunk. */
#define MMAP_THRESHOLD (128 * 1024)

static const struct way {
    enum matrix_way way;
    const char *what;
} ways[] = {
    {MATRIX_ROWS, "rows: a malloc per row, and the pointers"},
    {MATRIX_BLOCK, "block: the values, and the pointers"},
    {MATRIX_FLAT, "flat: double (*m)[cols], one block"},
};

int main(int argc, char **argv)
{
    size_t rows = 1000, cols = 1000;
    struct matrix_tally t[3];
    char a[32], f[32], b[32], c[32], adj[32], pairs[32];

    cli_close_stdout_at_exit(PROG);
    cli_max_args(PROG, argc, 2, "[ROWS [COLS]]");
    if (argc > 1)
        rows = cli_u64(PROG, "ROWS", argv[1], 1, MAX_VALUES);
    if (cols > MAX_VALUES / rows)
        cols = MAX_VALUES / rows;
    if (argc > 2)
        cols = cli_u64(PROG, "COLS", argv[2], 1, MAX_VALUES / rows);
    mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD);

    for (size_t k = 0; k < 3; k++)
        if (matrix_tally(ways[k].way, rows, cols, &t[k]) != 0)
            cli_oom(PROG, "making the matrix");

    printf("a %s x %s matrix of doubles, three ways (matrix.h): %s bytes of values\n",
           report_count(rows, a, sizeof a), report_count(cols, f, sizeof f),
           report_count(rows * cols * sizeof(double), b, sizeof b));
    if (RUNNING_ON_VALGRIND)
        printf("under Valgrind, whose blocks have no glibc header, \"glibc's chunks\" are each request + 8\n");
    printf("\n  %-42s %8s %8s %12s %15s %14s\n", "", "allocs", "frees", "bytes asked", "glibc's chunks",
           "rows adjacent");
    for (size_t k = 0; k < 3; k++) {
        snprintf(adj, sizeof adj, "%s of %s", report_count(t[k].adjacent, a, sizeof a),
                 report_count(rows - 1, pairs, sizeof pairs));
        printf("  %-42s %8s %8s %12s %15s %14s\n", ways[k].what, report_count(t[k].mallocs, a, sizeof a),
               report_count(t[k].frees, f, sizeof f), report_count(t[k].bytes, b, sizeof b),
               report_count(t[k].chunks, c, sizeof c), adj);
    }
    printf("\n  sum of m[i][j] = i + j, row after row:");
    for (size_t k = 0; k < 3; k++)
        printf(" %.0f", t[k].sum);
    if (t[0].sum != t[1].sum || t[1].sum != t[2].sum) {
        printf("  NO (a bug)\n");
        return 1;
    }
    printf("  (the same)\n");
    return 0;
}
