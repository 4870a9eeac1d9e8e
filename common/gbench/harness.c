/* harness.c: the two loops that check common/bench itself, in its Go format (make honest
 * runs them against gbench.cc, the same loops under Google Benchmark, round by round).
 *
 *   Empty        an empty body: the harness's own cost per iteration
 *   Malloc1024   malloc(1024)+free
 */
#include <stdio.h>
#include <stdlib.h>

#include "bench.h"
#include "cli.h"

static void fatal(const char *what)
{
    fprintf(stderr, "harness: %s\n", what);
    exit(1);
}

/* The harness's own cost: the loop, with nothing in it the compiler may remove. */
static void bench_empty(struct bench *b)
{
    for (uint64_t i = 0; i < b->n; i++)
        bench_keep(b);
}

/* malloc(1024)+free, the loop BM_Malloc1024 times in gbench.cc, with the same
 * setup. With countalloc's header the block is 1,040 bytes, past glibc's tcache: freed
 * next to the top of the heap it merges into the top and is split off again on every
 * call, a slower path than a bin, taken or not according to what the process allocated
 * before. A fence block after the first one keeps it out of the top, in both harnesses. */
static void bench_malloc_1024(struct bench *b)
{
    void *first = malloc(1024), *fence = malloc(16);

    if (first == NULL || fence == NULL)
        fatal("out of memory");
    free(first);
    bench_reset_timer(b);
    for (uint64_t i = 0; i < b->n; i++) {
        void *p = malloc(1024);
        bench_keep(p);
        free(p);
    }
    bench_stop_timer(b);
    free(fence);
}

static const struct bench_def defs[] = {
    {"Empty", bench_empty},
    {"Malloc1024", bench_malloc_1024},
};

int main(int argc, char **argv)
{
    cli_close_stdout_at_exit(argv[0]);
    return bench_main(argc, argv, "harness", defs, BENCH_COUNT(defs), NULL, 0);
}
