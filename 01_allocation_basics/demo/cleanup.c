/* cleanup.c: "a function makes several allocations and one fails: how do you write it so
 * nothing leaks?" The job of cleanup.h (a record: the struct, its name, NTAGS tags, a
 * scratch buffer) written four ways; for each, what a successful run allocates, then the
 * OOM sweep (sweep.h): every allocation point made to fail in turn, whether the failure
 * was reported, and whether anything leaked. make cleanup-01. Usage: cleanup [NTAGS],
 * tags per record (8 unless given). The buggy way is misuse/cleanup_leak.c's, shown by
 * the tests, not here: this program leaks nothing. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cleanup.h"
#include "cli.h"
#include "countalloc.h"
#include "sweep.h"

#define PROG "cleanup"

static const char NAME[] = "Alice";
static size_t ntags = 8;

/* One whole job for the sweep: build the record, free it. */
struct job {
    cleanup_fn fn;
};

static int run_job(void *ctx)
{
    const struct job *j = ctx;
    struct cleanup_record *r = NULL;

    if (j->fn(NAME, ntags, &r) != 0)
        return -1;
    cleanup_free(r);
    return 0;
}

int main(int argc, char **argv)
{
    size_t len = strlen(NAME);

    cli_close_stdout_at_exit(PROG);
    cli_max_args(PROG, argc, 1, "[NTAGS]");
    if (argc > 1)
        ntags = (size_t)cli_u64(PROG, "NTAGS", argv[1], 1, CLEANUP_MAX_TAGS);

    printf("a record named \"%s\" with %zu tags: the struct (%zu B), the name (%zu B), the tags (%zu B),\n",
           NAME, ntags, sizeof(struct cleanup_record), len + 1, ntags * sizeof(uint32_t));
    printf("and a scratch buffer (%zu B) freed before return\n\n", len + 1);
    printf("  %-24s %7s %7s %9s %7s %9s %7s\n", "way", "allocs", "frees", "bytes", "points", "reported", "leaks");
    for (size_t i = 0; i < sizeof cleanup_ways / sizeof cleanup_ways[0]; i++) {
        struct job j = {cleanup_ways[i].fn};
        struct cleanup_record *r = NULL;
        struct countalloc_stats d;
        struct sweep_result s;
        int rc;

        countalloc_measure_begin(&d);
        rc = j.fn(NAME, ntags, &r);
        d = countalloc_measure_end(&d);
        if (rc != 0)
            cli_oom(PROG, "building the record");
        cleanup_free(r);
        printf("  %-24s %7llu %7llu %9llu", cleanup_ways[i].name, (unsigned long long)d.mallocs,
               (unsigned long long)d.frees, (unsigned long long)d.total_alloc);
        if (!countalloc_can_inject()) {
            printf(" %7s %9s %7s\n", "-", "-", "-");
            continue;
        }
        sweep_run(run_job, &j, 0, &s);
        if (!s.completed)
            cli_oom(PROG, "the sweep's final run");
        printf(" %7u %9u %7u\n", s.points, s.points - s.unreported, s.leaks);
    }
    printf("\nallocs, frees, bytes: one successful run (the record is the caller's: 3 blocks kept)\n");
    if (countalloc_can_inject())
        printf("points: allocations failed in turn; reported: runs that returned -1; leaks: runs that left the heap changed\n");
    else
        printf("no sweep: this build (sanitizers) has no fault injection\n");
    return 0;
}
