/* bench.c: lesson 02 in Go's benchmark format (make bench-02).
 *
 *   HeavyBuildDrop / LightBuildDrop     1,000 records built, 63 in 64 dropped, the rest
 *                                       freed: one malloc per record, or one block
 *   MallocFree                          malloc(100)+free, the site tracer never started
 *   MallocFreeAfterStop                 the same after sites_start and sites_stop: off
 *                                       again, it should cost what MallocFree costs
 *   MallocFreeTraced                    the same with the tracer on: a stack unwound and
 *                                       two hash-table updates per call
 *   ReadViews                           views_read: countalloc, mallinfo2, /proc/self/status
 *
 * The summary pairs each with its baseline: heavy/light, and traced or stopped over off. */
#include <stdio.h>
#include <stdlib.h>

#include "bench.h"
#include "cli.h"
#include "memstats.h"
#include "sites.h"

#define RECORDS 1000

static void fatal(const char *what)
{
    fprintf(stderr, "02_memstats bench: %s\n", what);
    exit(1);
}

static void bench_heavy(struct bench *b)
{
    for (uint64_t i = 0; i < b->n; i++) {
        struct heavy_store s = {0};
        if (heavy_build(&s, RECORDS) != 0)
            fatal("out of memory");
        heavy_drop(&s);
        bench_keep(s.rec);
        heavy_free(&s);
    }
}

static void bench_light(struct bench *b)
{
    for (uint64_t i = 0; i < b->n; i++) {
        struct light_store s = {0};
        if (light_build(&s, RECORDS) != 0 || light_drop(&s) != 0)
            fatal("out of memory");
        bench_keep(s.rec);
        light_free(&s);
    }
}

/* One copy of the loop for all three (noinline): they differ only in the tracer's state. */
static __attribute__((noinline)) void malloc_free(struct bench *b)
{
    for (uint64_t i = 0; i < b->n; i++) {
        char *p = malloc(RECORD_SIZE);
        if (p == NULL)
            fatal("out of memory");
        p[0] = (char)i;
        bench_keep(p);
        free(p);
    }
}

static void bench_malloc_free(struct bench *b)
{
    malloc_free(b);
}

static void bench_after_stop(struct bench *b)
{
    bench_stop_timer(b);
    if (sites_start() != 0)
        fatal("cannot map the tracer's tables");
    sites_stop();
    bench_start_timer(b);
    malloc_free(b);
}

static void bench_traced(struct bench *b)
{
    bench_stop_timer(b);
    if (sites_start() != 0)
        fatal("cannot map the tracer's tables");
    bench_start_timer(b);
    malloc_free(b);
    bench_stop_timer(b);
    sites_stop();
}

static void bench_read_views(struct bench *b)
{
    struct views v;

    for (uint64_t i = 0; i < b->n; i++) {
        if (views_read(&v) != 0)
            fatal("cannot read /proc/self/status");
        bench_keep(&v);
    }
}

static const struct bench_def defs[] = {
    {"HeavyBuildDrop", bench_heavy},
    {"LightBuildDrop", bench_light},
    {"MallocFree", bench_malloc_free},
    {"MallocFreeAfterStop", bench_after_stop},
    {"MallocFreeTraced", bench_traced},
    {"ReadViews", bench_read_views},
};

static const struct bench_pair pairs[] = {
    {"HeavyBuildDrop", "LightBuildDrop"},
    {"MallocFreeAfterStop", "MallocFree"},
    {"MallocFreeTraced", "MallocFree"},
};

int main(int argc, char **argv)
{
    cli_close_stdout_at_exit(argv[0]);
    return bench_main(argc, argv, "02_memstats", defs, BENCH_COUNT(defs), pairs,
                      BENCH_COUNT(pairs));
}
