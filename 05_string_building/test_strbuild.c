/* test_strbuild.c: the lesson's six ways of joining strings: the same bytes from all of
 * them, exact allocation counts (naive n, exact realloc n, builder log2, reserve 1),
 * the bytes each copies, GLib's GString pinned beside them, and OOM sweeps; and strcat
 * against the length kept (append.h): no allocation, the builder's bytes. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <errno.h>
#include <glib.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <valgrind/valgrind.h>

#include "alloc_assert.h"
#include "append.h"
#include "countalloc.h"
#include "sb.h"
#include "strbuild.h"

#define PART 10 /* bytes per part in these tests */

typedef int (*build_fn)(const struct strbuild_parts *in, struct strbuild_out *out);

static const struct {
    const char *name;
    build_fn fn;
} ways[] = {
    {"heavy_concat", heavy_concat},     {"light_builder", light_builder},
    {"heavy_realloc", heavy_realloc},   {"light_reserve", light_reserve},
    {"heavy_asprintf", heavy_asprintf}, {"light_memstream", light_memstream},
};
#define NWAYS (sizeof ways / sizeof ways[0])

static struct strbuild_parts parts;

static void make_parts(size_t n)
{
    cr_assert(eq(int, strbuild_parts_make(&parts, n, PART), 0), "out of memory making parts");
}

static void drop_parts(void)
{
    strbuild_parts_free(&parts);
}

/* The expected string, built the obvious way, without any of the code under test. */
static char *expected(const struct strbuild_parts *in)
{
    char *s = malloc(in->total + 1), *at = s;

    cr_assert(s != NULL);
    for (size_t i = 0; i < in->n; i++) {
        memcpy(at, in->s[i], in->len[i]);
        at += in->len[i];
    }
    *at = '\0';
    return s;
}

/* Allocations and bytes of capacities first, 2 * first ... until need fits. */
static uint64_t doublings(size_t first, size_t need, uint64_t *bytes)
{
    uint64_t k = 1, sum = first;

    for (size_t c = first; c < need; c *= 2) {
        k++;
        sum += 2 * c;
    }
    *bytes = sum;
    return k;
}

/* ---- the same bytes ---- */

Test(join, all_six_ways_give_the_same_bytes, .fini = drop_parts)
{
    static const size_t sizes[] = {0, 1, 2, 5, 6, 7, 63, 64, 65, 1000, 3001};

    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        make_parts(sizes[k]);
        char *want = expected(&parts);
        for (size_t w = 0; w < NWAYS; w++) {
            struct strbuild_out out = {0};
            cr_assert(eq(int, ways[w].fn(&parts, &out), 0), "%s failed", ways[w].name);
            cr_assert(eq(sz, out.len, parts.total), "%s: n = %zu: wrong length", ways[w].name,
                      sizes[k]);
            cr_assert(eq(int, memcmp(out.s, want, parts.total + 1), 0),
                      "%s: n = %zu: the bytes differ from the parts joined", ways[w].name,
                      sizes[k]);
            free(out.s);
        }
        free(want);
        drop_parts();
    }
}

Test(join, parts_differ_from_each_other_so_an_order_mistake_shows, .fini = drop_parts)
{
    make_parts(3);
    cr_assert(eq(str, (char *)parts.s[0], "abcdefghij"));
    cr_assert(eq(str, (char *)parts.s[1], "bcdefghijk"));
    cr_assert(eq(sz, parts.total, 3 * PART));
}

/* ---- allocation counts ---- */

Test(join, naive_concat_makes_one_allocation_per_part, .fini = drop_parts)
{
    struct strbuild_out out;
    uint64_t n = 1000, bytes = 0;

    make_parts(n);
    for (uint64_t i = 1; i <= n; i++)
        bytes += i * PART + 1; /* part i: a new block for all i parts and the terminator */
    ASSERT_ALLOCS(heavy_concat(&parts, &out), n, bytes);
    free(out.s);
}

Test(join, naive_concat_copies_n_squared_bytes, .fini = drop_parts)
{
    struct strbuild_out out;
    uint64_t n = 1000;

    make_parts(n);
    heavy_concat(&parts, &out);
    cr_assert(eq(u64, out.copied, PART * n * (n + 1) / 2),
              "part i copies all i parts so far: PART * n(n+1)/2 bytes in all");
    cr_assert(eq(u64, out.moves, n - 1), "every part after the first moves the string");
    free(out.s);
}

Test(join, exact_realloc_makes_one_allocation_per_part, .fini = drop_parts)
{
    struct strbuild_out out;
    uint64_t n = 1000, bytes = 0;

    make_parts(n);
    for (uint64_t i = 1; i <= n; i++)
        bytes += i * PART + 1;
    ASSERT_ALLOCS(heavy_realloc(&parts, &out), n, bytes);
    cr_assert(out.copied >= n * PART, "at least the parts themselves are copied");
    free(out.s);
}

Test(join, the_builder_makes_log2_of_total_over_min_cap_plus_one_allocations,
     .fini = drop_parts)
{
    struct strbuild_out out;
    uint64_t bytes, allocs;

    make_parts(1000);
    allocs = doublings(SB_MIN_CAP, parts.total + 1, &bytes);
    ASSERT_ALLOCS(light_builder(&parts, &out), allocs, bytes);
    /* Even if every growth moved the string, the moves add up to less than the last
     * buffer, which is under twice the total: the parts plus that, under 3x. */
    cr_assert(out.copied < 3 * parts.total,
              "doubling copies less than three times the total, saw %llu bytes",
              (unsigned long long)out.copied);
    free(out.s);
}

Test(join, the_builder_with_reserve_makes_exactly_one_allocation, .fini = drop_parts)
{
    struct strbuild_out out;

    make_parts(1000);
    ASSERT_ALLOCS(light_reserve(&parts, &out), 1, parts.total + 1);
    cr_assert(eq(u64, out.copied, parts.total), "each byte copied once, never moved");
    cr_assert(eq(u64, out.moves, 0));
    free(out.s);
}

Test(join, no_parts_still_make_one_allocation_for_the_empty_string, .fini = drop_parts)
{
    struct strbuild_out out;

    make_parts(0);
    for (size_t w = 0; w < 4; w++) { /* memstream's count is libc's, below */
        ASSERT_ALLOCS(ways[w].fn(&parts, &out), 1, ways[w].fn == light_reserve ? SB_MIN_CAP : 1);
        cr_assert(eq(str, out.s, ""), "%s", ways[w].name);
        free(out.s);
    }
}

Test(join, asprintf_makes_at_least_two_allocations_per_part, .fini = drop_parts)
{
    struct strbuild_out out;
    struct countalloc_stats d;
    uint64_t n = 500;

    make_parts(n);
    ALLOC_MEASURE(heavy_asprintf(&parts, &out), d);
    cr_assert(d.mallocs >= 2 * n,
              "asprintf allocates a buffer and shrinks it per call: expected at least %llu "
              "allocations, saw %llu", (unsigned long long)(2 * n), (unsigned long long)d.mallocs);
    free(out.s);
}

Test(join, open_memstream_grows_geometrically_too, .fini = drop_parts)
{
    struct strbuild_out out;
    struct countalloc_stats d;
    uint64_t limit = 3, bytes;

    make_parts(5000);
    limit += doublings(BUFSIZ, parts.total + 1, &bytes); /* FILE, buffer, final shrink */
    ALLOC_MEASURE(light_memstream(&parts, &out), d);
    cr_assert(d.mallocs <= limit, "expected at most %llu allocations for %zu parts, saw %llu",
              (unsigned long long)limit, parts.n, (unsigned long long)d.mallocs);
    free(out.s);
}

Test(join, reusing_one_builder_with_reset_allocates_nothing_after_warm_up, .fini = drop_parts)
{
    struct sb b = SB_INIT;
    int failed = 0;

    make_parts(1000);
    for (size_t i = 0; i < parts.n; i++) /* warm-up */
        failed |= sb_append(&b, parts.s[i], parts.len[i]);
    ASSERT_NO_ALLOCS(for (int r = 0; r < 20; r++) {
        sb_reset(&b);
        for (size_t i = 0; i < parts.n; i++)
            failed |= sb_append(&b, parts.s[i], parts.len[i]);
    });
    cr_assert(eq(int, failed, 0));
    cr_assert(eq(sz, b.len, parts.total));
    sb_free(&b);
}

/* ---- appending into a buffer already big enough: strcat against the length kept ---- */

typedef int (*append_fn)(char *buf, size_t cap, const struct strbuild_parts *in);

/* fn's string for n parts, in a buffer of exactly total + 1 bytes filled with 'x' first
 * (a missing terminator or a missing reset shows), against light_builder's: the same
 * bytes, terminator included, and no allocation inside fn. */
static void appends_the_builders_string(const char *name, append_fn fn, size_t n)
{
    struct strbuild_out want;
    char *buf;
    int rc = -1;

    make_parts(n);
    cr_assert(eq(int, light_builder(&parts, &want), 0), "out of memory building the reference");
    buf = malloc(parts.total + 1);
    cr_assert(buf != NULL, "out of memory reserving the buffer");
    memset(buf, 'x', parts.total + 1);
    ASSERT_NO_ALLOCS(rc = fn(buf, parts.total + 1, &parts));
    cr_assert(eq(int, rc, 0), "%s: n = %zu: refused a buffer of total + 1 bytes", name, n);
    cr_assert(eq(int, memcmp(buf, want.s, parts.total + 1), 0),
              "%s: n = %zu: the string differs from light_builder's (or has no terminator)",
              name, n);
    free(buf);
    free(want.s);
    drop_parts();
}

Test(append, strcat_into_a_reserved_buffer_allocates_nothing_and_gives_the_builders_string,
     .fini = drop_parts)
{
    static const size_t sizes[] = {0, 1, 2, 63, 1000};

    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++)
        appends_the_builders_string("append_strcat", append_strcat, sizes[k]);
}

Test(append, keeping_the_length_allocates_nothing_and_gives_the_builders_string,
     .fini = drop_parts)
{
    static const size_t sizes[] = {0, 1, 2, 63, 1000};

    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++)
        appends_the_builders_string("append_kept", append_kept, sizes[k]);
}

Test(append, a_buffer_without_room_for_the_terminator_is_refused_untouched, .fini = drop_parts)
{
    static const struct {
        const char *name;
        append_fn fn;
    } fns[] = {{"append_strcat", append_strcat}, {"append_kept", append_kept}};
    char buf[3 * PART + 1];

    make_parts(3);
    for (size_t f = 0; f < 2; f++) {
        for (size_t cap = 0; cap <= parts.total; cap++) { /* up to total: one byte short */
            memset(buf, 'x', sizeof buf);
            errno = 0;
            cr_assert(eq(int, fns[f].fn(buf, cap, &parts), -1),
                      "%s: a buffer of %zu bytes cannot hold %zu bytes and the terminator",
                      fns[f].name, cap, parts.total);
            cr_assert(eq(int, errno, ERANGE), "%s: expected errno ERANGE", fns[f].name);
            for (size_t i = 0; i < sizeof buf; i++)
                cr_assert(eq(chr, buf[i], 'x'), "%s: byte %zu written though refused",
                          fns[f].name, i);
        }
    }
}

/* ---- GLib's GString, the builder most C programs already link ---- */

static char *gstring_join(const struct strbuild_parts *in)
{
    GString *g = g_string_new(NULL);

    for (size_t i = 0; i < in->n; i++)
        g_string_append_len(g, in->s[i], (gssize)in->len[i]);
    return g_string_free(g, FALSE); /* hands over the buffer, frees the struct */
}

Test(gstring, allocates_through_malloc_so_it_is_counted_and_doubles_from_128_bytes,
     .fini = drop_parts)
{
    char *s = NULL, *want;
    uint64_t bytes, allocs;
    bool struct_malloced = glib_check_version(2, 76, 0) == NULL; /* NULL: GLib >= 2.76 */

    make_parts(1000);
    free(gstring_join(&parts)); /* warm-up: GLib's slice allocator gets its magazines */
    /* The buffer: 64 bytes asked for, rounded to the power of two above (128), doubled
     * from there. The struct: GLib 2.76 and later malloc it (one more allocation of
     * sizeof(GString)); up to 2.74 it comes from the slice allocator, warm now, except
     * under Valgrind, where GLib turns the slice allocator off and mallocs it. */
    allocs = doublings(128, parts.total + 1, &bytes);
    if (struct_malloced || RUNNING_ON_VALGRIND) {
        allocs++;
        bytes += sizeof(GString);
    }
    ASSERT_ALLOCS(s = gstring_join(&parts), allocs, bytes);
    want = expected(&parts);
    cr_assert(eq(str, s, want), "GString must give the same bytes");
    free(want);
    free(s);
}

/* ---- running out of memory ---- */

struct sweep_ctx {
    build_fn fn;
    size_t n;
    size_t part; /* bytes per part */
};

/* Do out's bytes equal the parts joined? Allocates nothing (the sweeps count). */
static bool joined_right(const struct strbuild_parts *in, const struct strbuild_out *out)
{
    size_t at = 0;

    if (out->len != in->total || out->s[out->len] != '\0')
        return false;
    for (size_t i = 0; i < in->n; at += in->len[i], i++)
        if (memcmp(out->s + at, in->s[i], in->len[i]) != 0)
            return false;
    return true;
}

static int join_job(void *ctx)
{
    struct sweep_ctx *c = ctx;
    struct strbuild_parts in;
    struct strbuild_out out = {(char *)"untouched", 9, 0, 0, false};
    int rc;

    if (strbuild_parts_make(&in, c->n, c->part) != 0)
        return -1;
    rc = c->fn(&in, &out);
    if (rc == 0) {
        cr_assert(joined_right(&in, &out), "a run that reported success gave the wrong bytes");
        free(out.s);
    } else if (strcmp(out.s, "untouched") != 0) {
        rc = 0; /* a failure must leave *out alone: report it as unreported */
    }
    strbuild_parts_free(&in);
    return rc;
}

/* libc absorbs some failures inside asprintf and open_memstream (it keeps the buffer it
 * has instead of a smaller copy), so a step may succeed although an allocation failed;
 * join_job checks the bytes of every success, so ASSERT_SWEEP_ABSORBS counts those steps
 * as absorbed. */
Test(join, the_heavy_ways_survive_every_allocation_failure)
{
    ASSERT_SWEEP_CLEAN(join_job, (&(struct sweep_ctx){heavy_concat, 40, PART}));
    ASSERT_SWEEP_CLEAN(join_job, (&(struct sweep_ctx){heavy_realloc, 40, PART}));
    ASSERT_SWEEP_CLEAN(join_job, (&(struct sweep_ctx){heavy_concat, 0, PART}));
    /* 9-byte parts: no string lands exactly on the size of asprintf's internal buffer
     * (100, 300, 700 ... bytes), where glibc 2.36's out-of-memory path writes the
     * terminator one byte past it (vasprintf.c:82, seen by memcheck in this sweep). */
    ASSERT_SWEEP_ABSORBS(join_job, (&(struct sweep_ctx){heavy_asprintf, 40, 9}));
}

Test(join, the_light_ways_survive_every_allocation_failure)
{
    ASSERT_SWEEP_CLEAN(join_job, (&(struct sweep_ctx){light_builder, 400, PART}));
    ASSERT_SWEEP_CLEAN(join_job, (&(struct sweep_ctx){light_reserve, 400, PART}));
    ASSERT_SWEEP_CLEAN(join_job, (&(struct sweep_ctx){light_builder, 0, PART}));
    ASSERT_SWEEP_ABSORBS(join_job, (&(struct sweep_ctx){light_memstream, 2000, PART}));
}

static int parts_job(void *ctx)
{
    struct strbuild_parts in = {0};

    (void)ctx;
    if (strbuild_parts_make(&in, 100, PART) != 0)
        return in.store == NULL ? -1 : 0; /* a failure must leave *p unchanged */
    strbuild_parts_free(&in);
    return 0;
}

Test(parts, making_the_parts_survives_every_allocation_failure)
{
    ASSERT_SWEEP_CLEAN(parts_job, NULL);
}

Test(parts, a_size_that_would_overflow_is_refused_without_allocating)
{
    struct strbuild_parts in = {0};
    int rc;

    ASSERT_NO_ALLOCS(rc = strbuild_parts_make(&in, SIZE_MAX / 4, 10));
    cr_assert(eq(int, rc, -1));
    ASSERT_NO_ALLOCS(rc = strbuild_parts_make(&in, 10, 0));
    cr_assert(eq(int, rc, -1), "parts of 0 bytes are refused");
}
