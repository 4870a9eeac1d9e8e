/* bench.c: lesson 01 in Go's benchmark format (make bench-01).
 *
 *   GrowByOne / GrowX1_5 / GrowX2 / GrowReserved   100,000 appends of int64_t per op,
 *                             realloc by one, x1.5, x2, or reserved first; moves/op counts
 *                             the reallocs that returned a new block (the old one copied)
 *   Boxed / Values            10,000 int64_t per op: malloc'd one by one into a list of
 *                             void *, or stored in one array
 *   CollectHeavy / CollectLight   10,000 lines "user,bytes" per op, heavy.c against
 *                             light.c (opening the stream is outside the timer)
 *   Asprintf / Snprintf       one label per op: allocated, or written into a stack buffer
 *   ByValue / ByPointer       a 1 KiB struct passed to a function: copied, or pointed to
 *
 * The Go counterparts are in go/bench_test.go (make go-01): append against
 * make([]T, 0, n), []any against []int64, fmt.Sprintf against strconv.AppendInt into a
 * reused []byte, and func f(b Big) against func f(b *Big).
 *
 * ALLOCATOR=jemalloc|mimalloc|tcmalloc|glibc (make bench-01 ALLOCATOR=jemalloc) runs them
 * under that allocator; make allocators-01 puts the Grow benchmarks side by side. */
#include <stdio.h>
#include <stdlib.h>

#include "basics.h"
#include "bench.h"
#include "cli.h"
#include "big.h"
#include "boxing.h"
#include "growth.h"

#define GROW_N 100000
#define BOX_N 10000
#define LINES_N 10000

static void fatal(const char *what)
{
    fprintf(stderr, "01_allocation_basics bench: %s\n", what);
    exit(1);
}

/* ---- growing an array ---- */

static void bench_grow(struct bench *b, enum vec_growth g, int reserve)
{
    size_t moves = 0, total_moves = 0;
    int64_t sum = 0;

    for (uint64_t i = 0; i < b->n; i++) {
        if (vec_fill(GROW_N, g, reserve, &sum, &moves) != 0)
            fatal("out of memory");
        total_moves += moves;
        bench_keep(&sum);
    }
    bench_report_metric(b, (double)total_moves / (double)b->n, "moves/op");
}

static void bench_grow_by_one(struct bench *b) { bench_grow(b, VEC_BY_ONE, 0); }
static void bench_grow_x1_5(struct bench *b) { bench_grow(b, VEC_X1_5, 0); }
static void bench_grow_x2(struct bench *b) { bench_grow(b, VEC_X2, 0); }
static void bench_grow_reserved(struct bench *b) { bench_grow(b, VEC_X2, 1); }

/* ---- boxing ---- */

static void bench_sum(struct bench *b, int (*fn)(size_t, int64_t *))
{
    int64_t sum = 0;

    for (uint64_t i = 0; i < b->n; i++) {
        if (fn(BOX_N, &sum) != 0)
            fatal("out of memory");
        bench_keep(&sum);
    }
}

static void bench_boxed(struct bench *b) { bench_sum(b, box_sum_boxed); }
static void bench_values(struct bench *b) { bench_sum(b, box_sum_values); }

/* ---- the heavy/light pair ---- */

static void bench_collect(struct bench *b, int (*fn)(FILE *, struct fields *))
{
    char *text, iobuf[BUFSIZ];
    size_t len;

    bench_stop_timer(b);
    if (basics_make_input(LINES_N, &text, &len) != 0)
        fatal("out of memory");
    for (uint64_t i = 0; i < b->n; i++) {
        struct fields f = FIELDS_INIT;
        FILE *in = basics_open(text, len, iobuf, sizeof iobuf);

        if (in == NULL)
            fatal("out of memory");
        bench_start_timer(b);
        if (fn(in, &f) != 0)
            fatal("out of memory");
        bench_keep(f.bytes.v);
        basics_fields_free(&f);
        bench_stop_timer(b);
        fclose(in);
    }
    free(text);
    bench_set_bytes(b, len);
}

static void bench_collect_heavy(struct bench *b) { bench_collect(b, heavy_collect); }
static void bench_collect_light(struct bench *b) { bench_collect(b, light_collect); }

/* ---- who allocates: the callee, or the caller's buffer ---- */

static void bench_asprintf(struct bench *b)
{
    for (uint64_t i = 0; i < b->n; i++) {
        char *label;

        if (asprintf(&label, "user%06u", (unsigned)(i % 1000000)) < 0)
            fatal("out of memory");
        bench_keep(label);
        free(label);
    }
}

static void bench_snprintf(struct bench *b)
{
    for (uint64_t i = 0; i < b->n; i++) {
        char label[32]; /* a small fixed buffer: 11 bytes needed */

        snprintf(label, sizeof label, "user%06u", (unsigned)(i % 1000000));
        bench_keep(label);
    }
}

/* ---- passing a large struct ---- */

static struct big big;

static void bench_by_value(struct bench *b)
{
    int64_t s = 0;

    for (uint64_t i = 0; i < b->n; i++)
        s += big_pick_value(big, (unsigned)i);
    bench_keep(&s);
}

static void bench_by_pointer(struct bench *b)
{
    int64_t s = 0;

    for (uint64_t i = 0; i < b->n; i++)
        s += big_pick_pointer(&big, (unsigned)i);
    bench_keep(&s);
}

static const struct bench_def defs[] = {
    {"GrowByOne", bench_grow_by_one},
    {"GrowX1_5", bench_grow_x1_5},
    {"GrowX2", bench_grow_x2},
    {"GrowReserved", bench_grow_reserved},
    {"Boxed", bench_boxed},
    {"Values", bench_values},
    {"CollectHeavy", bench_collect_heavy},
    {"CollectLight", bench_collect_light},
    {"Asprintf", bench_asprintf},
    {"Snprintf", bench_snprintf},
    {"ByValue", bench_by_value},
    {"ByPointer", bench_by_pointer},
};

static const struct bench_pair pairs[] = {
    {"GrowByOne", "GrowX2"},
    {"GrowX2", "GrowReserved"},
    {"Boxed", "Values"},
    {"CollectHeavy", "CollectLight"},
    {"Asprintf", "Snprintf"},
    {"ByValue", "ByPointer"},
};

int main(int argc, char **argv)
{
    cli_close_stdout_at_exit(argv[0]);
    for (int i = 0; i < 128; i++)
        big.a[i] = i;
    return bench_main(argc, argv, "01_allocation_basics", defs, BENCH_COUNT(defs), pairs,
                      BENCH_COUNT(pairs));
}
