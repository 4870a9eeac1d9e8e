/* test_pipeline.c: the text job of pipeline.h both ways: the same result, the
 * materialized way's allocations, bytes and peak worked out from the lines, the streamed
 * way's from the builder's growth rule and the same at every n, failures that leave
 * nothing behind, and the demo's bad arguments. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc_assert.h"
#include "cli_assert.h"
#include "countalloc.h"
#include "hash.h"
#include "pipeline.h"
#include "sb.h"

/* What the materialized way asks for on the lines of text[0..len): 3 arrays of pointers
 * (n lines, k kept, k upper-cased; none for a stage with no line) and a block of
 * length + 1 per line, per kept line and per upper-cased line. */
static void materialized_cost(const char *text, size_t len, uint64_t *allocs, uint64_t *bytes)
{
    size_t n = 0, k = 0;
    uint64_t line_bytes = 0, kept_bytes = 0;

    for (size_t at = 0; at < len;) {
        const char *nl = memchr(text + at, '\n', len - at);
        size_t l = nl != NULL ? (size_t)(nl - (text + at)) : len - at;

        n++;
        line_bytes += l + 1;
        if (pipeline_keep(text + at, l)) {
            k++;
            kept_bytes += l + 1;
        }
        at += l + 1;
    }
    *allocs = (n > 0) + 2 * (k > 0) + n + 2 * k;
    *bytes = (n + 2 * k) * sizeof(char *) + line_bytes + 2 * kept_bytes;
}

/* What the streamed way asks for: each growth of the builder, by sb_grow_cap, to fit the
 * longest kept line so far. */
static void streamed_cost(const char *text, size_t len, uint64_t *allocs, uint64_t *bytes)
{
    size_t cap = 0;

    *allocs = *bytes = 0;
    for (size_t at = 0; at < len;) {
        const char *nl = memchr(text + at, '\n', len - at);
        size_t l = nl != NULL ? (size_t)(nl - (text + at)) : len - at;

        if (pipeline_keep(text + at, l) && l + 1 > cap) {
            cap = sb_grow_cap(cap, l + 1);
            *allocs += 1;
            *bytes += cap;
        }
        at += l + 1;
    }
}

/* The result worked out line by line, without either way. */
static struct pipeline_result expected(size_t n)
{
    struct pipeline_result r = {0, 0, HASH_FNV_START};
    char buf[128];

    for (size_t i = 0; i < n; i++) {
        size_t l = pipeline_line(i, buf, sizeof buf);

        if (i % 2 == 0)
            continue;
        for (size_t j = 0; j < l; j++)
            if (buf[j] >= 'a' && buf[j] <= 'z')
                buf[j] = (char)(buf[j] - 'a' + 'A');
        r.kept++;
        r.bytes += l;
        r.digest = hash_fnv(hash_fnv(r.digest, buf, l), "\n", 1);
    }
    return r;
}

static void assert_same(struct pipeline_result got, struct pipeline_result want, const char *way,
                        size_t n)
{
    cr_assert(got.kept == want.kept && got.bytes == want.bytes && got.digest == want.digest,
              "%s, %zu lines: expected %zu kept, %zu bytes, digest %016llx; saw %zu, %zu, %016llx",
              way, n, want.kept, want.bytes, (unsigned long long)want.digest, got.kept, got.bytes,
              (unsigned long long)got.digest);
}

Test(pipeline_text, line_i_is_kept_exactly_when_i_is_odd)
{
    char buf[128];

    for (size_t i = 0; i < 1000; i++) {
        size_t l = pipeline_line(i, buf, sizeof buf);

        cr_assert(l < SB_MIN_CAP, "line %zu is %zu bytes: the streamed counts assume < %d", i,
                  l, SB_MIN_CAP);
        cr_assert(eq(int, pipeline_keep(buf, l) != 0, i % 2 == 1), "line %zu: %s", i, buf);
    }
}

Test(pipeline_text, the_text_is_one_allocation_of_its_lines)
{
    size_t len, n = 1000, want = 0;
    char buf[128], *text;

    for (size_t i = 0; i < n; i++)
        want += pipeline_line(i, buf, sizeof buf) + 1;
    ASSERT_ALLOCS(text = pipeline_text(n, &len), 1, want + 1);
    cr_assert(text != NULL);
    cr_assert(eq(sz, len, want));
    cr_assert(eq(sz, strlen(text), want), "a terminator after the last line");
    free(text);
}

Test(pipeline_ways, both_ways_give_the_result_worked_out_line_by_line)
{
    static const size_t ns[] = {1, 2, 3, 10, 999, 1000, 5000};

    for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++) {
        struct pipeline_result m, s;
        size_t len;
        char *text = pipeline_text(ns[i], &len);

        cr_assert(text != NULL);
        cr_assert(pipeline_materialize(text, len, &m) == 0 && pipeline_stream(text, len, &s) == 0);
        assert_same(m, expected(ns[i]), "materialized", ns[i]);
        assert_same(s, expected(ns[i]), "streamed", ns[i]);
        free(text);
    }
}

Test(pipeline_ways, a_last_line_without_a_newline_and_empty_lines_count_the_same_both_ways)
{
    static const char *const texts[] = {"", "\n", "\n\nWARN a", "ERROR b\nINFO c\nWARN d",
                                        "WARN\nWARN x\n\nERROR y\n"};

    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        struct pipeline_result m, s;
        size_t len = strlen(texts[i]);
        uint64_t allocs, bytes;
        int rc;

        materialized_cost(texts[i], len, &allocs, &bytes);
        ASSERT_ALLOCS(rc = pipeline_materialize(texts[i], len, &m), allocs, bytes);
        cr_assert(rc == 0);
        streamed_cost(texts[i], len, &allocs, &bytes);
        ASSERT_ALLOCS(rc = pipeline_stream(texts[i], len, &s), allocs, bytes);
        cr_assert(rc == 0);
        cr_assert(m.kept == s.kept && m.bytes == s.bytes && m.digest == s.digest,
                  "text %zu: the two ways disagree", i);
    }
}

/* ---- the counts ---- */

static void assert_counts(const char *way, size_t n, int rc, struct countalloc_stats d,
                          uint64_t allocs, uint64_t bytes)
{
    cr_assert(rc == 0, "%s, %zu lines: failed", way, n);
    cr_assert(d.mallocs == allocs && d.total_alloc == bytes,
              "%s, %zu lines: expected %llu allocations of %llu bytes, saw %llu of %llu", way, n,
              (unsigned long long)allocs, (unsigned long long)bytes,
              (unsigned long long)d.mallocs, (unsigned long long)d.total_alloc);
}

static void check_counts(size_t n)
{
    struct pipeline_result r;
    struct countalloc_stats d;
    uint64_t allocs, bytes;
    size_t len;
    char *text = pipeline_text(n, &len);
    int rc;

    cr_assert(text != NULL);
    materialized_cost(text, len, &allocs, &bytes);
    if (n >= 2)
        cr_assert(eq(u64, allocs, 3 + n + 2 * (n / 2)), "n lines, n / 2 of them kept");
    ALLOC_MEASURE(rc = pipeline_materialize(text, len, &r), d);
    assert_counts("materialized", n, rc, d, allocs, bytes);
    cr_assert(d.peak == (int64_t)bytes,
              "materialized, %zu lines: every block is live at the end, so the peak is all "
              "%llu bytes asked for; saw %lld", n, (unsigned long long)bytes, (long long)d.peak);
    cr_assert(d.heap_alloc == 0 && d.heap_objects == 0, "materialized: all freed");

    streamed_cost(text, len, &allocs, &bytes);
    ALLOC_MEASURE(rc = pipeline_stream(text, len, &r), d);
    assert_counts("streamed", n, rc, d, allocs, bytes);
    cr_assert(d.heap_alloc == 0 && d.heap_objects == 0, "streamed: all freed");
    free(text);
}

Test(pipeline_counts, materialized_makes_3_arrays_and_n_plus_2k_strings_all_live_at_the_peak)
{
    check_counts(1);
    check_counts(2);
    check_counts(1000);
    check_counts(2001);
    check_counts(10000);
}

Test(pipeline_counts, streamed_makes_one_allocation_of_sb_min_cap_whatever_n)
{
    for (size_t n = 2; n <= 20000; n *= 10) {
        struct pipeline_result r;
        struct countalloc_stats d;
        size_t len;
        char *text = pipeline_text(n, &len);

        cr_assert(text != NULL);
        int rc;

        ALLOC_MEASURE(rc = pipeline_stream(text, len, &r), d);
        cr_assert(rc == 0);
        cr_assert(d.mallocs == 1 && d.total_alloc == SB_MIN_CAP && d.peak == SB_MIN_CAP,
                  "streamed, %zu lines (all shorter than %d bytes): expected 1 allocation of "
                  "%d bytes, peak %d; saw %llu allocations of %llu bytes, peak %lld",
                  n, SB_MIN_CAP, SB_MIN_CAP, SB_MIN_CAP, (unsigned long long)d.mallocs,
                  (unsigned long long)d.total_alloc, (long long)d.peak);
        free(text);
    }
}

Test(pipeline_counts, streamed_grows_its_builder_only_for_a_longer_kept_line)
{
    char text[1024];
    size_t len;
    uint64_t allocs, bytes;
    struct pipeline_result r;
    int rc;

    /* kept lines of 10, 100 and 300 bytes, and a 600-byte line the filter drops */
    len = (size_t)snprintf(text, sizeof text, "WARN %s\nERROR %0*d\nINFO %0*d\nWARN %0*d\n",
                           "12345", 94, 0, 595, 0, 295, 0);
    streamed_cost(text, len, &allocs, &bytes);
    cr_assert(eq(u64, allocs, 3), "64, then 128, then 301 bytes: the dropped line costs nothing");
    ASSERT_ALLOCS(rc = pipeline_stream(text, len, &r), allocs, bytes);
    cr_assert(rc == 0);
    cr_assert(eq(sz, r.kept, 3));
}

/* ---- failure ---- */

typedef int way_fn(const char *text, size_t len, struct pipeline_result *out);

static int sweep_way(void *ctx)
{
    way_fn *run = *(way_fn **)ctx;
    static const char text[] = "WARN a\nINFO b\nERROR c\nDEBUG d\nWARN e";
    struct pipeline_result r = {99, 99, 99};
    char copy[sizeof text];
    int rc;

    memcpy(copy, text, sizeof text);
    rc = run(copy, sizeof text - 1, &r);
    cr_assert(eq(int, memcmp(copy, text, sizeof text), 0), "the text is left as it was");
    if (rc != 0) {
        cr_assert(eq(int, errno, ENOMEM));
        cr_assert(r.kept == 99 && r.bytes == 99 && r.digest == 99, "a failed run writes no result");
    }
    return rc;
}

Test(pipeline_failure, every_allocation_of_either_way_failed_in_turn_is_reported_and_leaks_nothing)
{
    way_fn *m = pipeline_materialize, *s = pipeline_stream;

    ASSERT_SWEEP_CLEAN(sweep_way, &m);
    ASSERT_SWEEP_CLEAN(sweep_way, &s);
}

static int sweep_text(void *ctx)
{
    size_t len;
    char *text = pipeline_text(*(size_t *)ctx, &len);

    free(text);
    return text == NULL ? -1 : 0;
}

Test(pipeline_failure, making_the_text_failed_is_reported_and_leaks_nothing)
{
    size_t n = 100;

    ASSERT_SWEEP_CLEAN(sweep_text, &n);
}

/* ---- the program ---- */

Test(pipeline_program, bad_arguments_get_one_line_and_exit_status_2)
{
    static const char *const bad[] = {"abc", "0", "-5", "500001", "1x", "--bogus",
                                      "99999999999999999999999", "1 2"};

    ASSERT_BAD_ARGUMENTS("demo/pipeline", "N", bad);
}
