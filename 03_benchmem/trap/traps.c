/* trap/traps.c: the ways a benchmark fools its reader, each as a Go-format benchmark
 * (make traps-03 ARGS='-bench NAME ...'; the README runs each with the flags that show it).
 *
 *   MallocFreeO2 / MallocFreeNoBuiltin   the same malloc(1024)+free loop (mallocfree.c),
 *                                        compiled with and without -fno-builtin-malloc:
 *                                        gcc -O2 deletes the pair, 0 allocs/op
 *   SetupInTimer / SetupOutsideTimer     1,001 setup allocations inside the timed region,
 *                                        or before bench_reset_timer; B/op and allocs/op
 *                                        then depend on n
 *   FirstWrite                           fprintf to a stream never written before: the
 *                                        first call allocates the stream's buffer
 *   JobAsIs / JobColdFixed / JobHotFixed a report, one header and 1,000 records: fixing the
 *                                        header's allocation (the cold path) or the records'
 *   TwinA / TwinB                        the same code twice: any gap between them is noise
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "cli.h"
#include "benchmem.h"

#define NRECS 1000

void trap_mallocfree_o2(struct bench *b);
void trap_mallocfree_kept(struct bench *b);

static struct record recs[NRECS];
static FILE *devnull; /* opened before any benchmark, written first by FirstWrite */

static void fatal(const char *what)
{
    fprintf(stderr, "03_benchmem traps: %s\n", what);
    exit(1);
}

/* ---- setup inside the timed region ---- */

/* The setup: NRECS records with their user names copied (NRECS + 1 allocations). */
static struct record *setup_records(void)
{
    struct record *r = malloc(NRECS * sizeof *r);

    if (r == NULL)
        fatal("out of memory");
    benchmem_records_make(r, NRECS);
    for (size_t i = 0; i < NRECS; i++) {
        r[i].user = strdup(r[i].user);
        if (r[i].user == NULL)
            fatal("out of memory");
    }
    return r;
}

static void free_records(struct record *r)
{
    for (size_t i = 0; i < NRECS; i++)
        free((char *)r[i].user);
    free(r);
}

/* One record per op, with asprintf: 2 allocs/op. */
static void format_loop(struct bench *b, const struct record *r)
{
    struct benchmem_digest d = {BENCHMEM_DIGEST_START, 0};
    struct benchmem_sink sink = {benchmem_digest_write, &d};

    for (uint64_t i = 0; i < b->n; i++)
        if (heavy_format(&r[i % NRECS], 1, &sink) != 0)
            fatal("out of memory");
    bench_keep(&d);
}

static void bench_setup_in_timer(struct bench *b)
{
    struct record *r = setup_records(); /* timed and counted: the trap */

    format_loop(b, r);
    bench_stop_timer(b);
    free_records(r);
}

static void bench_setup_outside_timer(struct bench *b)
{
    struct record *r = setup_records();

    bench_reset_timer(b); /* Go's b.ResetTimer(): forget the setup */
    format_loop(b, r);
    bench_stop_timer(b);
    free_records(r);
}

/* ---- the first call ---- */

static void bench_first_write(struct bench *b)
{
    for (uint64_t i = 0; i < b->n; i++)
        if (fprintf(devnull, "%llu\n", (unsigned long long)i) < 0)
            fatal("cannot write to /dev/null");
}

/* ---- a cold path and a hot path ---- */

/* One report: a header line (once per report: cold) and NRECS record lines (hot). */
static void report(struct bench *b, int cold_fixed,
                   int (*records)(const struct record *, size_t, const struct benchmem_sink *))
{
    struct benchmem_digest d = {BENCHMEM_DIGEST_START, 0};
    struct benchmem_sink sink = {benchmem_digest_write, &d};

    for (uint64_t i = 0; i < b->n; i++) {
        char head[64], *line = head;
        int len;

        if (cold_fixed)
            len = snprintf(head, sizeof head, "report %llu: %d records\n",
                           (unsigned long long)i, NRECS);
        else
            len = asprintf(&line, "report %llu: %d records\n", (unsigned long long)i, NRECS);
        if (len < 0)
            fatal("out of memory");
        benchmem_digest_write(&d, line, (size_t)len);
        if (line != head)
            free(line);
        if (records(recs, NRECS, &sink) != 0)
            fatal("out of memory");
    }
    bench_keep(&d);
}

static void bench_job_as_is(struct bench *b) { report(b, 0, heavy_format); }
static void bench_job_cold_fixed(struct bench *b) { report(b, 1, heavy_format); }
static void bench_job_hot_fixed(struct bench *b) { report(b, 0, light_format); }

/* ---- noise ---- */

static void twin(struct bench *b)
{
    struct benchmem_digest d = {BENCHMEM_DIGEST_START, 0};
    struct benchmem_buf buf = BENCHMEM_BUF_INIT;

    if (benchmem_buf_printf(&buf, BENCHMEM_FORMAT, BENCHMEM_ARGS(&recs[0])) < 0)
        fatal("out of memory");
    bench_reset_timer(b);
    for (uint64_t i = 0; i < b->n; i++) {
        int len = benchmem_buf_printf(&buf, BENCHMEM_FORMAT, BENCHMEM_ARGS(&recs[i % NRECS]));
        if (len < 0)
            fatal("out of memory");
        benchmem_digest_write(&d, buf.p, (size_t)len);
    }
    bench_stop_timer(b);
    benchmem_buf_free(&buf);
    bench_keep(&d);
}

static void bench_twin_a(struct bench *b) { twin(b); }
static void bench_twin_b(struct bench *b) { twin(b); }

static const struct bench_def defs[] = {
    {"MallocFreeO2", trap_mallocfree_o2},
    {"MallocFreeNoBuiltin", trap_mallocfree_kept},
    {"SetupInTimer", bench_setup_in_timer},
    {"SetupOutsideTimer", bench_setup_outside_timer},
    {"FirstWrite", bench_first_write},
    {"JobAsIs", bench_job_as_is},
    {"JobColdFixed", bench_job_cold_fixed},
    {"JobHotFixed", bench_job_hot_fixed},
    {"TwinA", bench_twin_a},
    {"TwinB", bench_twin_b},
};

static const struct bench_pair pairs[] = {
    {"MallocFreeNoBuiltin", "MallocFreeO2"},
    {"SetupInTimer", "SetupOutsideTimer"},
    {"JobAsIs", "JobColdFixed"},
    {"JobAsIs", "JobHotFixed"},
    {"TwinA", "TwinB"},
};

int main(int argc, char **argv)
{
    int rc;

    cli_close_stdout_at_exit(argv[0]);
    benchmem_records_make(recs, NRECS);
    devnull = fopen("/dev/null", "w");
    if (devnull == NULL)
        fatal("cannot open /dev/null");
    rc = bench_main(argc, argv, "03_benchmem/traps", defs, BENCH_COUNT(defs), pairs,
                    BENCH_COUNT(pairs));
    fclose(devnull);
    return rc;
}
