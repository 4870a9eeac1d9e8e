/* bench.c: lesson 03 in Go's benchmark format (make bench-03).
 *
 *   Format1000Asprintf / Format1000Reused   the lesson's pair: 1,000 records per op,
 *                                           heavy_format against light_format
 *   FormatOneAsprintf / FormatOneReused     one record per op; the reused buffer is made
 *                                           before bench_reset_timer, so it costs 0 allocs/op
 *   Alloc10x16B / Alloc1x160B               the same 160 B/op in 10 allocations or in 1:
 *                                           what allocs/op says that B/op does not
 *   MapGrown1000 / MapHinted1000            a hash table of 1,000 keys per op (maptab.h),
 *   MapGrown100000 / MapHinted100000        grown by doubling from 8 slots, or made with a
 *                                           size hint of N: 1 + growths allocs/op against 1
 *
 * The harness's own checks (an empty body, malloc(1024)+free against Google Benchmark)
 * are the toolbox's: common/gbench/, make honest.
 *
 * go/bench_test.go has them in Go: Format1000Sprintf / Format1000Append, and
 * FormatOneSprintf / FormatOneFprintf / FormatOneAppend, where Fprintf into a reused
 * bytes.Buffer still allocates (its arguments are boxed) and strconv.Append does not;
 * go/mapgrow_test.go has make(map[int]int) against make(map[int]int, n).
 */
#include <stdio.h>
#include <stdlib.h>

#include "bench.h"
#include "cli.h"
#include "benchmem.h"
#include "maptab.h"

#define NRECS 1000

static struct record recs[NRECS];

static void fatal(const char *what)
{
    fprintf(stderr, "03_benchmem bench: %s\n", what);
    exit(1);
}

static void bench_format_1000(struct bench *b, int (*fn)(const struct record *, size_t,
                                                         const struct benchmem_sink *))
{
    struct benchmem_digest d = {BENCHMEM_DIGEST_START, 0};
    struct benchmem_sink sink = {benchmem_digest_write, &d};

    for (uint64_t i = 0; i < b->n; i++) {
        if (fn(recs, NRECS, &sink) != 0)
            fatal("out of memory");
    }
    bench_keep(&d);
    bench_set_bytes(b, d.bytes / b->n); /* the MB/s column: bytes of text per op */
    bench_report_metric(b, NRECS, "lines/op"); /* a custom column, Go's b.ReportMetric */
}

static void bench_format_1000_asprintf(struct bench *b) { bench_format_1000(b, heavy_format); }
static void bench_format_1000_reused(struct bench *b) { bench_format_1000(b, light_format); }

static void bench_format_one_asprintf(struct bench *b)
{
    struct benchmem_digest d = {BENCHMEM_DIGEST_START, 0};

    for (uint64_t i = 0; i < b->n; i++) {
        const struct record *r = &recs[i % NRECS];
        char *line = NULL;
        int len = asprintf(&line, BENCHMEM_FORMAT, BENCHMEM_ARGS(r));

        if (len < 0)
            fatal("out of memory");
        benchmem_digest_write(&d, line, (size_t)len);
        free(line);
    }
    bench_keep(&d);
}

static void bench_format_one_reused(struct bench *b)
{
    struct benchmem_digest d = {BENCHMEM_DIGEST_START, 0};
    struct benchmem_buf buf = BENCHMEM_BUF_INIT;

    /* setup: the buffer */
    if (benchmem_buf_printf(&buf, BENCHMEM_FORMAT, BENCHMEM_ARGS(&recs[0])) < 0)
        fatal("out of memory");
    bench_reset_timer(b); /* ...is not what this benchmark measures */
    for (uint64_t i = 0; i < b->n; i++) {
        const struct record *r = &recs[i % NRECS];
        int len = benchmem_buf_printf(&buf, BENCHMEM_FORMAT, BENCHMEM_ARGS(r));

        if (len < 0)
            fatal("out of memory");
        benchmem_digest_write(&d, buf.p, (size_t)len);
    }
    bench_stop_timer(b);
    benchmem_buf_free(&buf);
    bench_keep(&d);
}

/* 160 bytes per op, as ten 16-byte objects (live together, then freed) or as one. */
static void bench_alloc_10x16(struct bench *b)
{
    void *p[10];

    for (uint64_t i = 0; i < b->n; i++) {
        for (int k = 0; k < 10; k++) {
            p[k] = malloc(16);
            if (p[k] == NULL)
                fatal("out of memory");
            bench_keep(p[k]);
        }
        for (int k = 0; k < 10; k++)
            free(p[k]);
    }
}

static void bench_alloc_1x160(struct bench *b)
{
    for (uint64_t i = 0; i < b->n; i++) {
        void *p = malloc(160);
        if (p == NULL)
            fatal("out of memory");
        bench_keep(p);
        free(p);
    }
}

/* A table of n keys per op, grown from empty (hint 0) or made with a hint of n. */
static void bench_map(struct bench *b, size_t n, size_t hint)
{
    for (uint64_t i = 0; i < b->n; i++) {
        struct maptab t;

        if (maptab_init(&t, hint) != 0 || maptab_fill(&t, n) != 0)
            fatal("out of memory");
        bench_keep(t.slots);
        maptab_free(&t);
    }
}

static void bench_map_grown_1000(struct bench *b) { bench_map(b, 1000, 0); }
static void bench_map_hinted_1000(struct bench *b) { bench_map(b, 1000, 1000); }
static void bench_map_grown_100000(struct bench *b) { bench_map(b, 100000, 0); }
static void bench_map_hinted_100000(struct bench *b) { bench_map(b, 100000, 100000); }

static const struct bench_def defs[] = {
    {"Format1000Asprintf", bench_format_1000_asprintf},
    {"Format1000Reused", bench_format_1000_reused},
    {"FormatOneAsprintf", bench_format_one_asprintf},
    {"FormatOneReused", bench_format_one_reused},
    {"Alloc10x16B", bench_alloc_10x16},
    {"Alloc1x160B", bench_alloc_1x160},
    {"MapGrown1000", bench_map_grown_1000},
    {"MapHinted1000", bench_map_hinted_1000},
    {"MapGrown100000", bench_map_grown_100000},
    {"MapHinted100000", bench_map_hinted_100000},
};

static const struct bench_pair pairs[] = {
    {"Format1000Asprintf", "Format1000Reused"},
    {"FormatOneAsprintf", "FormatOneReused"},
    {"Alloc10x16B", "Alloc1x160B"},
    {"MapGrown1000", "MapHinted1000"},
    {"MapGrown100000", "MapHinted100000"},
};

int main(int argc, char **argv)
{
    cli_close_stdout_at_exit(argv[0]);
    benchmem_records_make(recs, NRECS);
    return bench_main(argc, argv, "03_benchmem", defs, BENCH_COUNT(defs), pairs,
                      BENCH_COUNT(pairs));
}
