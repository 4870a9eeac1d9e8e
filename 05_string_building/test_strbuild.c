/* test_strbuild.c: the lesson's six ways of joining strings: the same bytes from all of
 * them, exact allocation counts (naive n, exact realloc n, builder log2, reserve 1),
 * the bytes each copies, GLib's GString pinned beside them, OOM sweeps and the one
 * out-of-memory path of glibc 2.36's asprintf that they leave out; and strcat against
 * the length kept (append.h): no allocation, the builder's bytes, and how the
 * instructions grow with the parts. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <errno.h>
#include <glib.h>
#include <gnu/libc-version.h>
#include <malloc.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <valgrind/valgrind.h>

#include "alloc_assert.h"
#include "append.h"
#include "countalloc.h"
#include "platform.h"
#include "profrun.h"
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

/* Schlemiel the painter, counted: callgrind's instructions inside each loop, at N and 2N
 * parts. strcat walks all of buf before each append, so doubling the parts nearly
 * quadruples its instructions; with the length kept they double. The counts themselves
 * depend on the glibc release and the string functions it picks for the CPU (make
 * schlemiel-05 shows them); the growth does not. */
static uint64_t loop_instructions(const char *loop, unsigned n)
{
    char opt[64], value[32], why[160];
    const char *opts[] = {opt, NULL};
    struct profrun_callgrind c;

    snprintf(opt, sizeof opt, "--toggle-collect=append_%s", loop);
    snprintf(value, sizeof value, "%s:%u", loop, n);
    cr_assert(profrun_callgrind_self(opts, value, NULL, &c, why, sizeof why) == 0,
              "callgrind on the variant failed: %s", why);
    cr_assert(c.total > 0, "callgrind collected nothing in append_%s", loop);
    return c.total;
}

Test(append, doubling_the_parts_nearly_quadruples_strcats_instructions_and_doubles_the_kept_lengths,
     RUNS_VALGRIND)
{
    char why[160];
    double strcat_growth, kept_growth;

    if (profrun_available(why, sizeof why) != 0)
        cr_skip_test("%s", why);
    /* n^2 steps and n steps: the ratio tends to 4 as the walk outgrows the copies, and
     * anything linear reads 2 */
    strcat_growth = (double)loop_instructions("strcat", 2000) / loop_instructions("strcat", 1000);
    kept_growth = (double)loop_instructions("kept", 2000) / loop_instructions("kept", 1000);
    cr_assert(strcat_growth > 3.0 && strcat_growth < 4.05,
              "glibc %s: strcat's instructions grew x%.2f from 1,000 parts to 2,000, not near x4",
              gnu_get_libc_version(), strcat_growth);
    cr_assert(kept_growth > 1.95 && kept_growth < 2.05,
              "the kept length's instructions grew x%.2f from 1,000 parts to 2,000, not x2",
              kept_growth);
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
     * terminator one byte past it (the asprintf tests below). */
    ASSERT_SWEEP_ABSORBS(join_job, (&(struct sweep_ctx){heavy_asprintf, 40, 9}));
}

/* ---- the sizes that sweep leaves out ----
 *
 * glibc up to 2.36 formats asprintf's text into a malloc(100) buffer, which moves to
 * malloc(300), malloc(700) ... as the text grows, and then reallocs it to the text's
 * size. When the text exactly fills the buffer and that last realloc fails, asprintf keeps
 * the buffer and writes the NUL at buf[len], one byte past its end (vasprintf.c:82).
 * glibc 2.37 and later format into a buffer on the stack and make one exact malloc, whose
 * failure is a plain -1. */

/* asprintf of a `len`-byte text with its last allocation failing. */
static int asprintf_last_failing(int len, char **s, struct countalloc_stats *d)
{
    unsigned last = platform_glibc_at_least(2, 37) ? 1 : len <= 100 ? 2 : 3;
    int rc;

    countalloc_fail_at(last, false);
    ALLOC_MEASURE(rc = asprintf(s, "%*s", len, "x"), *d);
    cr_assert(eq(u64, countalloc_fail_off(), 1), "glibc %s, %d bytes: allocation %u failed",
              gnu_get_libc_version(), len, last);
    return rc;
}

/* The variants the tests below run under Valgrind, as PROFRUN_ENV says:
 *   asprintf:LEN  asprintf of a LEN-byte text, its last allocation failing (memcheck)
 *   strcat:N      append_strcat of N parts into a buffer big enough (callgrind)
 *   kept:N        append_kept of the same */
static int variant_main(const char *arg)
{
    struct countalloc_stats d;
    struct strbuild_parts in;
    char *s = NULL;
    int rc;

    if (strncmp(arg, "asprintf:", 9) == 0) {
        if (asprintf_last_failing(atoi(arg + 9), &s, &d) >= 0)
            free(s);
        return 0;
    }
    if (strbuild_parts_make(&in, (size_t)atoi(strchr(arg, ':') + 1), PART) != 0 ||
        (s = malloc(in.total + 1)) == NULL)
        return 1;
    rc = (strncmp(arg, "strcat:", 7) == 0 ? append_strcat : append_kept)(s, in.total + 1, &in);
    free(s);
    strbuild_parts_free(&in);
    return rc == 0 ? 0 : 1;
}

__attribute__((constructor)) static void variant_start(void)
{
    const char *arg = getenv(PROFRUN_ENV);

    if (arg != NULL)
        _exit(variant_main(arg));
}

Test(asprintf, glibc_2_36_writes_the_nul_one_byte_past_a_full_buffer_when_its_last_realloc_fails)
{
    bool old = !platform_glibc_at_least(2, 37);
    const int full[] = {100, 300};

    SKIP_WITHOUT_INJECTION();
    if (old) /* the write past the block is what memcheck reports: the next test shows it */
        SKIP_UNDER_VALGRIND("glibc 2.36 writes past the block here, on purpose");
    for (size_t i = 0; i < sizeof full / sizeof full[0]; i++) {
        int len = full[i];
        struct countalloc_stats d;
        char *s = NULL;
        int rc = asprintf_last_failing(len, &s, &d);

        if (!old) {
            cr_assert(eq(int, rc, -1), "glibc %s, %d bytes: the exact malloc failed",
                      gnu_get_libc_version(), len);
            cr_assert(eq(u64, d.mallocs, 0));
            continue;
        }
        /* success, in the full buffer: a string of len + 1 bytes in a block of len */
        cr_assert(eq(int, rc, len), "glibc %s, %d bytes: asprintf keeps its buffer",
                  gnu_get_libc_version(), len);
        cr_assert(eq(i64, d.heap_alloc, len), "the result is the full buffer, %d bytes", len);
        cr_assert(eq(sz, malloc_usable_size(s), (size_t)len), "a block of %d bytes", len);
        cr_assert(eq(sz, strlen(s), (size_t)len), "holds %d bytes and the NUL past them", len);
        free(s);
    }
}

/* What memcheck says of it: one invalid write on glibc up to 2.36, none later. The
 * counting allocator must stay in place under memcheck for the injection to work
 * (somalloc=nouserintercepts: memcheck then sees the blocks it gets from glibc). */
Test(asprintf, memcheck_reports_the_nul_written_past_the_buffer_on_glibc_2_36_only,
     RUNS_VALGRIND)
{
    static const char *const opts[] = {"--soname-synonyms=somalloc=nouserintercepts", NULL};
    struct profrun_memcheck m;
    char why[160];

    SKIP_WITHOUT_INJECTION();
    if (profrun_available(why, sizeof why) != 0)
        cr_skip_test("%s", why);
    cr_assert(profrun_memcheck_self(opts, "asprintf:100", &m, why, sizeof why) == 0,
              "memcheck on the variant failed: %s", why);
    cr_assert(eq(u64, m.errors, platform_glibc_at_least(2, 37) ? 0 : 1),
              "glibc %s: memcheck's errors for a 100-byte asprintf whose last allocation fails",
              gnu_get_libc_version());
    /* one byte short of full: the NUL fits, on every version */
    cr_assert(profrun_memcheck_self(opts, "asprintf:99", &m, why, sizeof why) == 0,
              "memcheck on the variant failed: %s", why);
    cr_assert(eq(u64, m.errors, 0), "glibc %s: memcheck's errors for 99 bytes",
              gnu_get_libc_version());
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
