/* bench.c: lesson 05 in Go's benchmark format (make bench-05; make targets-05 checks the
 * lesson's speed targets against one run).
 *
 * 1 MiB joined from parts of SMALL_PART bytes:
 *   MemcpyFloor        the parts memcpy'd into a buffer allocated once and faulted in,
 *                      outside the timer: the copies alone, no builder can beat it
 *   Builder            struct sb from empty: sb_append per part, sb_detach (what
 *                      light_builder does, without the copy accounting for main)
 *   BuilderReserve     the same after sb_reserve(total): 1 allocation
 *   BuilderReuse       one builder, sb_reset between joins: 0 allocations
 *   GString            GLib's g_string_append_len
 *   Memstream          open_memstream + fwrite (light_memstream)
 *   ReallocExact       realloc to the exact size per part (heavy_realloc)
 * 1 MiB joined from parts of BIG_PART bytes (naive concat is quadratic: fewer, larger
 * parts keep it to about a second per join):
 *   Concat64B / Builder64B
 * The classic Go benchmarks of string building (go/bench_test.go has them in Go), 1,000
 * parts of 10 bytes, and asprintf on the same:
 *   ConcatNaive / ConcatBuilder / ConcatBuilderGrow / Asprintf */
#include <glib.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "cli.h"
#include "sb.h"
#include "strbuild.h"

#define TOTAL (1024 * 1024) /* bytes joined per op */
#define SMALL_PART 16
#define BIG_PART 64

static void fatal(const char *what)
{
    fprintf(stderr, "05_string_building bench: out of memory while %s\n", what);
    exit(1);
}

/* The three inputs, made on first use (outside the timer) and kept. */
static const struct strbuild_parts *parts(size_t n, size_t len)
{
    static struct strbuild_parts made[3];
    static size_t nmade;

    for (size_t i = 0; i < nmade; i++)
        if (made[i].n == n && made[i].len[0] == len)
            return &made[i];
    if (nmade == 3 || strbuild_parts_make(&made[nmade], n, len) != 0)
        fatal("making the parts");
    return &made[nmade++];
}

static const struct strbuild_parts *small_parts(void) { return parts(TOTAL / SMALL_PART, SMALL_PART); }
static const struct strbuild_parts *big_parts(void) { return parts(TOTAL / BIG_PART, BIG_PART); }
static const struct strbuild_parts *tiny_parts(void) { return parts(1000, 10); }

/* Run one of the lesson's six ways b->n times on in. */
static void run_way(struct bench *b, const struct strbuild_parts *in,
                    int (*fn)(const struct strbuild_parts *, struct strbuild_out *))
{
    struct strbuild_out out;

    bench_reset_timer(b);
    bench_set_bytes(b, in->total);
    for (uint64_t i = 0; i < b->n; i++) {
        if (fn(in, &out) != 0)
            fatal("joining");
        bench_keep(out.s);
        free(out.s);
    }
}

static void bench_memcpy_floor(struct bench *b)
{
    const struct strbuild_parts *in = small_parts();
    char *buf = malloc(in->total + 1);

    if (buf == NULL)
        fatal("allocating the floor's buffer");
    memset(buf, 0, in->total + 1); /* fault the pages in before timing */
    bench_reset_timer(b);
    bench_set_bytes(b, in->total);
    for (uint64_t i = 0; i < b->n; i++) {
        size_t len = 0;
        for (size_t k = 0; k < in->n; k++) {
            memcpy(buf + len, in->s[k], in->len[k]);
            len += in->len[k];
        }
        buf[len] = '\0';
        bench_keep(buf);
    }
    bench_stop_timer(b);
    free(buf);
}

/* The builder as a program uses it: append every part, take the string. light_builder
 * does the same plus the copy accounting main's tables print (strbuild_tally); the floor
 * does no accounting either, so Builder / MemcpyFloor is what the builder itself adds:
 * its allocations, the copies its growth moves, and the check and terminator per append. */
static void join_sb(struct bench *b, bool reserve)
{
    const struct strbuild_parts *in = small_parts();

    bench_reset_timer(b);
    bench_set_bytes(b, in->total);
    for (uint64_t i = 0; i < b->n; i++) {
        struct sb sb = SB_INIT;
        char *s;
        if (reserve && sb_reserve(&sb, in->total) != 0)
            fatal("joining");
        for (size_t k = 0; k < in->n; k++)
            if (sb_append(&sb, in->s[k], in->len[k]) != 0)
                fatal("joining");
        if ((s = sb_detach(&sb, NULL)) == NULL)
            fatal("joining");
        bench_keep(s);
        free(s);
    }
}

static void bench_builder(struct bench *b) { join_sb(b, false); }
static void bench_builder_reserve(struct bench *b) { join_sb(b, true); }
static void bench_memstream(struct bench *b) { run_way(b, small_parts(), light_memstream); }
static void bench_realloc_exact(struct bench *b) { run_way(b, small_parts(), heavy_realloc); }

static void bench_builder_reuse(struct bench *b)
{
    const struct strbuild_parts *in = small_parts();
    struct sb sb = SB_INIT;

    if (sb_reserve(&sb, in->total) != 0) /* warm-up, outside the timer */
        fatal("joining");
    bench_reset_timer(b);
    bench_set_bytes(b, in->total);
    for (uint64_t i = 0; i < b->n; i++) {
        sb_reset(&sb);
        for (size_t k = 0; k < in->n; k++)
            if (sb_append(&sb, in->s[k], in->len[k]) != 0)
                fatal("joining");
        bench_keep(sb.buf);
    }
    bench_stop_timer(b);
    sb_free(&sb);
}

static void bench_gstring(struct bench *b)
{
    const struct strbuild_parts *in = small_parts();

    g_string_free(g_string_new(NULL), TRUE); /* GLib's first-use set-up, outside the timer */
    bench_reset_timer(b);
    bench_set_bytes(b, in->total);
    for (uint64_t i = 0; i < b->n; i++) {
        GString *g = g_string_new(NULL);
        for (size_t k = 0; k < in->n; k++)
            g_string_append_len(g, in->s[k], (gssize)in->len[k]);
        char *s = g_string_free(g, FALSE);
        bench_keep(s);
        free(s);
    }
}

static void bench_concat_big(struct bench *b) { run_way(b, big_parts(), heavy_concat); }
static void bench_builder_big(struct bench *b) { run_way(b, big_parts(), light_builder); }

static void bench_concat_naive(struct bench *b) { run_way(b, tiny_parts(), heavy_concat); }
static void bench_concat_builder(struct bench *b) { run_way(b, tiny_parts(), light_builder); }
static void bench_concat_grow(struct bench *b) { run_way(b, tiny_parts(), light_reserve); }
static void bench_asprintf(struct bench *b) { run_way(b, tiny_parts(), heavy_asprintf); }

static const struct bench_def defs[] = {
    {"MemcpyFloor", bench_memcpy_floor},
    {"Builder", bench_builder},
    {"BuilderReserve", bench_builder_reserve},
    {"BuilderReuse", bench_builder_reuse},
    {"GString", bench_gstring},
    {"Memstream", bench_memstream},
    {"ReallocExact", bench_realloc_exact},
    {"Concat64B", bench_concat_big},
    {"Builder64B", bench_builder_big},
    {"ConcatNaive", bench_concat_naive},
    {"ConcatBuilder", bench_concat_builder},
    {"ConcatBuilderGrow", bench_concat_grow},
    {"Asprintf", bench_asprintf},
};

static const struct bench_pair pairs[] = {
    {"Builder", "MemcpyFloor"},
    {"GString", "Builder"},
    {"Memstream", "Builder"},
    {"ReallocExact", "Builder"},
    {"Builder", "BuilderReserve"},
    {"Concat64B", "Builder64B"},
    {"ConcatNaive", "ConcatBuilder"},
    {"ConcatNaive", "ConcatBuilderGrow"},
    {"Asprintf", "ConcatBuilder"},
};

int main(int argc, char **argv)
{
    cli_close_stdout_at_exit(argv[0]);
    return bench_main(argc, argv, "05_string_building", defs, BENCH_COUNT(defs), pairs,
                      BENCH_COUNT(pairs));
}
