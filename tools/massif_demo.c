/* massif_demo.c: a program whose heap is known to the byte, for tools/test_massif.sh.
 *
 *   massif_demo [--fail] N    holds N blocks of 1,000 bytes at once, then frees them;
 *                             --fail then exits with status 3 (a program that fails)
 *
 * Peak useful heap: exactly N * 1,000 bytes, all from demo_hold (massif_demo.c).
 * It prints nothing, so stdout never allocates its buffer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define PROG "massif_demo"
#define BLOCK 1000
#define MAX_N 1000

/* Allocate n blocks into held[]; returns how many it got. */
static size_t demo_hold(char **held, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        held[i] = malloc(BLOCK);
        if (held[i] == NULL)
            break;
        memset(held[i], (int)i, BLOCK);
    }
    return i;
}

int main(int argc, char **argv)
{
    static char *held[MAX_N];
    int fail = argc > 1 && strcmp(argv[1], "--fail") == 0;
    size_t n, got;

    cli_max_args(PROG, argc - fail, 1, "[--fail] N");
    if (argc - fail < 2) {
        fprintf(stderr, "%s: N is missing: give a number of blocks from 1 to %d\n", PROG, MAX_N);
        return 2;
    }
    n = (size_t)cli_u64(PROG, "N", argv[1 + fail], 1, MAX_N);
    got = demo_hold(held, n);
    for (size_t i = 0; i < got; i++)
        free(held[i]);
    if (got < n) {
        fprintf(stderr, "%s: out of memory after %zu blocks\n", PROG, got);
        return 1;
    }
    return fail ? 3 : 0;
}
