/* test_benchmem.c: lesson 03's pair and its line buffer: byte-for-byte the same lines,
 * the exact allocations of each (asprintf is 2 per record up to glibc 2.36, 1 from 2.37), the
 * first-call allocation a warm-up hides, OOM sweeps. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <gnu/libc-version.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "alloc_assert.h"
#include "benchmem.h"
#include "countalloc.h"
#include "sweep.h"
#include "platform.h"

/* A sink that keeps every byte, in a fixed buffer so that capturing allocates nothing. */
struct capture {
    char text[1 << 16];
    size_t len;
    unsigned lines;
};

static void capture_write(void *ctx, const char *line, size_t len)
{
    struct capture *c = ctx;

    cr_assert(c->len + len < sizeof c->text, "the test's capture buffer is too small");
    memcpy(c->text + c->len, line, len);
    c->len += len;
    c->lines++;
}

static struct capture heavy_out, light_out;
static const struct benchmem_sink heavy_sink = {capture_write, &heavy_out};
static const struct benchmem_sink light_sink = {capture_write, &light_out};
static struct benchmem_digest digest;
static const struct benchmem_sink digest_sink = {benchmem_digest_write, &digest};

static struct record recs[1000];

static void make_recs(void)
{
    benchmem_records_make(recs, 1000);
    memset(&heavy_out, 0, sizeof heavy_out);
    memset(&light_out, 0, sizeof light_out);
}

TestSuite(format, .init = make_recs);
TestSuite(buf, .init = make_recs);

/* ---- same output ---- */

Test(format, heavy_and_light_write_byte_for_byte_the_same_lines)
{
    for (size_t n = 0; n <= 300; n += 37) {
        heavy_out.len = light_out.len = 0;
        heavy_out.lines = light_out.lines = 0;
        cr_assert(eq(int, heavy_format(recs, n, &heavy_sink), 0));
        cr_assert(eq(int, light_format(recs, n, &light_sink), 0));
        cr_assert(eq(u32, heavy_out.lines, (unsigned)n), "one write per record");
        cr_assert(eq(sz, heavy_out.len, light_out.len), "n = %zu: lengths differ", n);
        cr_assert(memcmp(heavy_out.text, light_out.text, heavy_out.len) == 0,
                  "n = %zu: heavy and light wrote different bytes", n);
    }
}

Test(format, each_line_is_what_snprintf_makes_of_the_record)
{
    char want[256];
    int len = snprintf(want, sizeof want, BENCHMEM_FORMAT, BENCHMEM_ARGS(&recs[7]));

    cr_assert(eq(int, light_format(&recs[7], 1, &light_sink), 0));
    cr_assert(eq(sz, light_out.len, (size_t)len));
    cr_assert(memcmp(light_out.text, want, (size_t)len) == 0);
    cr_assert(eq(chr, want[len - 1], '\n'));
}

Test(format, a_line_longer_than_the_buffer_comes_out_whole_from_both)
{
    char user[300];
    struct record r = {.id = 1, .user = user, .qty = 2, .cents = 305};

    memset(user, 'x', sizeof user - 1);
    user[sizeof user - 1] = '\0';
    cr_assert(eq(int, heavy_format(&r, 1, &heavy_sink), 0));
    cr_assert(eq(int, light_format(&r, 1, &light_sink), 0));
    cr_assert(gt(sz, light_out.len, (size_t)BENCHMEM_BUF_MIN));
    cr_assert(eq(sz, heavy_out.len, light_out.len));
    cr_assert(memcmp(heavy_out.text, light_out.text, heavy_out.len) == 0);
}

Test(format, the_records_are_the_same_every_time)
{
    struct record again[1000];

    benchmem_records_make(again, 1000);
    cr_assert(memcmp(again, recs, sizeof again) == 0,
              "benchmem_records_make must be deterministic");
    for (size_t i = 0; i < 1000; i++)
        cr_assert(lt(sz, strlen(recs[i].user), (size_t)40), "user names stay short");
}

/* ---- exact allocations ---- */

/* The count depends on the glibc release, a trap for any test that pins it (platform.h):
 * up to 2.36 asprintf mallocs 100 bytes, then, for a line under 49 bytes, mallocs the exact
 * size, copies the line and frees the first buffer (a line of 49 to 100 bytes gets a
 * realloc instead: one alloc and one free as counted here, so the counts are the same);
 * from 2.37 it formats on the stack and mallocs once, exactly. */
Test(format, asprintf_is_two_allocations_before_glibc_2_37_and_one_since)
{
    char *s = NULL;
    struct countalloc_stats d;
    int len = 0;
    unsigned allocs = platform_asprintf_short_allocs(), frees = platform_asprintf_short_frees();

    ALLOC_MEASURE(len = asprintf(&s, "%s=%d", "answer", 42), d);
    cr_assert(eq(int, len, 9));
    cr_assert(eq(u64, d.mallocs, allocs), "glibc %s: asprintf made %llu allocations, expected %u",
              gnu_get_libc_version(), (unsigned long long)d.mallocs, allocs);
    cr_assert(eq(u64, d.frees, frees), "glibc %s: asprintf made %llu frees, expected %u",
              gnu_get_libc_version(), (unsigned long long)d.frees, frees);
    cr_assert(eq(i64, d.heap_alloc, len + 1), "what stays live is the line and its NUL");
    free(s);
}

Test(format, heavy_makes_asprintfs_allocations_per_record_and_frees_them_all)
{
    struct countalloc_stats d;
    int rc = -1;
    unsigned allocs = platform_asprintf_short_allocs();

    digest = (struct benchmem_digest){BENCHMEM_DIGEST_START, 0};
    ALLOC_MEASURE(rc = heavy_format(recs, 1000, &digest_sink), d);
    cr_assert(eq(int, rc, 0));
    cr_assert(eq(u64, d.mallocs, allocs * 1000),
              "glibc %s: expected %u allocations per record, saw %llu in all",
              gnu_get_libc_version(), allocs, (unsigned long long)d.mallocs);
    cr_assert(eq(u64, d.frees, allocs * 1000), "every allocation is freed: the line once written");
    cr_assert(eq(i64, d.heap_alloc, 0), "heavy_format leaked");
    /* every line lives in a block of its own: its length plus the NUL, at the least */
    cr_assert(ge(u64, d.total_alloc, digest.bytes + 1000));
}

Test(format, light_makes_one_allocation_whatever_the_number_of_records)
{
    ASSERT_ALLOCS(light_format(recs, 1, &digest_sink), 1, BENCHMEM_BUF_MIN);
    ASSERT_ALLOCS(light_format(recs, 1000, &digest_sink), 1, BENCHMEM_BUF_MIN);
    ASSERT_NO_ALLOCS(light_format(recs, 0, &digest_sink));
    ASSERT_NO_LEAK(light_format(recs, 1000, &digest_sink));
}

Test(format, light_grows_its_buffer_only_for_a_line_that_does_not_fit)
{
    char user[300];
    struct record r[3] = {recs[0], {.id = 2, .user = user, .qty = 1, .cents = 1}, recs[1]};

    memset(user, 'y', sizeof user - 1);
    user[sizeof user - 1] = '\0';
    /* 128 bytes first; the long line needs more than 256, so one realloc to 512 */
    ASSERT_ALLOCS(light_format(r, 3, &digest_sink), 2, BENCHMEM_BUF_MIN + 4 * BENCHMEM_BUF_MIN);
}

static void heavy_one(void *arg)
{
    heavy_format(arg, 1, &digest_sink);
}

static void light_one(void *arg)
{
    light_format(arg, 1, &digest_sink);
}

static struct benchmem_buf kept = BENCHMEM_BUF_INIT;

static void kept_one(void *arg)
{
    const struct record *r = arg;

    if (benchmem_buf_printf(&kept, BENCHMEM_FORMAT, BENCHMEM_ARGS(r)) > 0)
        benchmem_digest_write(&digest, kept.p, strlen(kept.p));
}

Test(format, allocs_per_run_is_asprintfs_count_1_for_light_and_0_for_a_kept_buffer)
{
    /* countalloc_allocs_per_run is Go's testing.AllocsPerRun: one warm-up call, then the
     * integer average over the runs; what a benchmark of one record per op reports */
    cr_assert(eq(u64, countalloc_allocs_per_run(100, heavy_one, &recs[3]),
                 platform_asprintf_short_allocs()),
              "glibc %s: asprintf's allocations per record", gnu_get_libc_version());
    cr_assert(eq(u64, countalloc_allocs_per_run(100, light_one, &recs[3]), 1),
              "light_format makes its buffer on every call");
    cr_assert(eq(u64, countalloc_allocs_per_run(100, kept_one, &recs[3]), 0),
              "a buffer kept across calls is made once, by the warm-up call");
    benchmem_buf_free(&kept);
}

/* ---- the line buffer ---- */

Test(buf, returns_what_snprintf_returns_and_allocates_only_to_grow)
{
    struct benchmem_buf b = BENCHMEM_BUF_INIT;
    int len = 0;

    ASSERT_ALLOCS(len = benchmem_buf_printf(&b, "%s-%d", "abc", 123), 1, BENCHMEM_BUF_MIN);
    cr_assert(eq(int, len, 7));
    cr_assert(eq(str, b.p, "abc-123"));
    ASSERT_NO_ALLOCS(len = benchmem_buf_printf(&b, "%0*d", BENCHMEM_BUF_MIN - 1, 5));
    cr_assert(eq(int, len, BENCHMEM_BUF_MIN - 1), "a line of cap-1 bytes still fits");
    ASSERT_ALLOCS(len = benchmem_buf_printf(&b, "%0*d", BENCHMEM_BUF_MIN, 5), 1,
                  2 * BENCHMEM_BUF_MIN);
    cr_assert(eq(int, len, BENCHMEM_BUF_MIN));
    cr_assert(eq(sz, strlen(b.p), (size_t)BENCHMEM_BUF_MIN));
    benchmem_buf_free(&b);
    cr_assert(eq(ptr, b.p, NULL));
    benchmem_buf_free(&b); /* twice is harmless */
}

Test(buf, a_failed_growth_keeps_the_buffer_and_its_capacity)
{
    struct benchmem_buf b = BENCHMEM_BUF_INIT;
    char *before;
    int len;

    SKIP_WITHOUT_INJECTION();
    cr_assert(eq(int, benchmem_buf_printf(&b, "%s", "short"), 5));
    before = b.p;
    countalloc_fail_at(1, false);
    len = benchmem_buf_printf(&b, "%0*d", 1000, 1);
    countalloc_fail_off();
    cr_assert(eq(int, len, -1));
    cr_assert(eq(ptr, b.p, before));
    cr_assert(eq(sz, b.cap, (size_t)BENCHMEM_BUF_MIN));
    cr_assert(eq(str, b.p, ""));
    cr_assert(eq(int, benchmem_buf_printf(&b, "%s", "again"), 5), "it works once memory is back");
    benchmem_buf_free(&b);
}

/* ---- the first call allocates: why a benchmark warms up ---- */

Test(buf, the_first_write_to_a_stream_allocates_its_buffer_and_later_ones_do_not)
{
    FILE *f = fopen("/dev/null", "w");
    struct stat st;

    cr_assert(f != NULL);
    cr_assert(eq(int, fstat(fileno(f), &st), 0));
    /* stdio sizes the buffer from the file's preferred block size */
    ASSERT_ALLOCS(fprintf(f, "%d\n", 1), 1, (uint64_t)st.st_blksize);
    ASSERT_NO_ALLOCS(for (int i = 0; i < 100; i++) fprintf(f, "%d\n", i));
    fclose(f);
}

/* ---- out of memory ---- */

struct pair_ctx {
    int (*fn)(const struct record *, size_t, const struct benchmem_sink *);
    const struct record *recs;
    size_t n;
    uint64_t want;   /* the digest of the right output */
    unsigned wrong;  /* runs that returned 0 with other output */
};

static int pair_job(void *ctx)
{
    struct pair_ctx *c = ctx;
    struct benchmem_digest d = {BENCHMEM_DIGEST_START, 0};
    struct benchmem_sink sink = {benchmem_digest_write, &d};
    int rc = c->fn(c->recs, c->n, &sink);

    if (rc == 0 && d.h != c->want)
        c->wrong++;
    return rc;
}

static uint64_t right_digest(const struct record *r, size_t n)
{
    struct benchmem_digest d = {BENCHMEM_DIGEST_START, 0};
    struct benchmem_sink sink = {benchmem_digest_write, &d};

    cr_assert(eq(int, heavy_format(r, n, &sink), 0));
    return d.h;
}

/* glibc up to 2.36: asprintf absorbs a failure of its second allocation: when the exact
 * malloc fails, it reallocs its first buffer to the line instead, and when that fails too
 * (or when the second allocation was that realloc, for a line of 49 bytes or more) it
 * hands back the first buffer and succeeds.
 * ASSERT_SWEEP_CLEAN would call that "unreported", so this sweep checks more closely: each
 * record's first allocation failing is reported, each second one is absorbed with the
 * output still right, and no step leaks. From 2.37 there is no second allocation: every
 * failure is reported. */
Test(format, heavy_reports_or_absorbs_every_allocation_failure_and_leaks_nothing)
{
    struct pair_ctx c = {heavy_format, recs, 40, right_digest(recs, 40), 0};
    struct sweep_result r;
    unsigned allocs = platform_asprintf_short_allocs();

    SKIP_WITHOUT_INJECTION();
    sweep_run(pair_job, &c, 0, &r);
    cr_assert(eq(u32, r.points, allocs * 40),
              "glibc %s: every allocation point of 40 records is failed once", gnu_get_libc_version());
    cr_assert(eq(u32, r.leaks, 0), "failing allocation %u leaked %lld bytes", r.first_leak,
              (long long)r.leaked_bytes);
    cr_assert(eq(u32, r.unreported, (allocs - 1) * 40),
              "glibc %s: %u absorbed failures per record expected, saw %u in all",
              gnu_get_libc_version(), allocs - 1, r.unreported);
    cr_assert(eq(u32, c.wrong, 0), "an absorbed failure changed the output");
    cr_assert(r.completed);
    sweep_log("heavy_format", &r, true); /* checked above: one per record, output right */
}

/* asprintf of a line of `len` bytes, the second allocation from now failing (and, when
 * persistent, every later one): what was counted, how many calls failed, what it returned. */
struct asprintf_run {
    struct countalloc_stats d;
    uint64_t failed;
    int len;
    char *s;
};

static struct asprintf_run asprintf_second_failing(int len, bool persistent)
{
    struct asprintf_run r = {.len = -1};

    countalloc_fail_at(2, persistent);
    ALLOC_MEASURE(r.len = asprintf(&r.s, "%*s", len, "x"), r.d);
    r.failed = countalloc_fail_off();
    return r;
}

Test(format, asprintf_absorbs_a_failure_of_its_second_allocation_where_it_makes_one)
{
    bool two = platform_asprintf_short_allocs() >= 2; /* glibc <= 2.36 */
    struct asprintf_run r;

    SKIP_WITHOUT_INJECTION();
    /* the exact malloc fails: a realloc of the first buffer to the line takes its place */
    r = asprintf_second_failing(9, false);
    cr_assert(eq(u64, r.failed, two), "glibc %s: the second allocation %s", gnu_get_libc_version(),
              two ? "should have failed" : "does not exist since glibc 2.37");
    cr_assert(eq(int, r.len, 9), "asprintf succeeds");
    cr_assert(eq(sz, strlen(r.s), (size_t)9));
    cr_assert(eq(u64, r.d.mallocs, platform_asprintf_short_allocs()),
              "glibc %s: the first buffer, then %s", gnu_get_libc_version(),
              two ? "the realloc that replaces the failed malloc" : "nothing");
    cr_assert(eq(i64, r.d.heap_alloc, 10), "what stays live is the line and its NUL");
    free(r.s);

    /* the realloc fails too: asprintf hands back its first buffer, 100 bytes */
    r = asprintf_second_failing(9, true);
    cr_assert(eq(u64, r.failed, two ? 2 : 0), "glibc %s: the malloc and the realloc fail",
              gnu_get_libc_version());
    cr_assert(eq(int, r.len, 9), "asprintf still succeeds");
    cr_assert(eq(sz, strlen(r.s), (size_t)9));
    cr_assert(eq(i64, r.d.heap_alloc, two ? 100 : 10), "glibc %s: the first buffer is the result",
              gnu_get_libc_version());
    free(r.s);
}

/* glibc up to 2.36 fits a line of 49 bytes or more with a realloc of its 100-byte first
 * buffer, a shorter one with a new exact malloc. Counted, the two look the same; a failure
 * tells them apart: after a failed malloc comes the realloc that replaces it, after a failed
 * realloc nothing, and the result is the first buffer. */
Test(format, asprintf_fits_a_line_under_49_bytes_with_a_new_malloc_and_a_longer_one_with_realloc)
{
    bool two = platform_asprintf_short_allocs() >= 2; /* glibc <= 2.36 */
    const struct {
        int len;
        bool realloc;
    } lines[] = {{48, false}, {49, true}, {99, true}};

    SKIP_WITHOUT_INJECTION();
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        int len = lines[i].len;
        bool fits_by_realloc = two && lines[i].realloc;
        struct asprintf_run r = asprintf_second_failing(len, false);

        cr_assert(eq(int, r.len, len));
        cr_assert(eq(sz, strlen(r.s), (size_t)len));
        cr_assert(eq(u64, r.failed, two), "glibc %s, %d bytes: the second allocation failed",
                  gnu_get_libc_version(), len);
        cr_assert(eq(u64, r.d.mallocs, two && !fits_by_realloc ? 2 : 1),
                  "glibc %s, %d bytes: the second allocation was %s", gnu_get_libc_version(), len,
                  fits_by_realloc ? "the realloc: nothing follows it" : "a malloc: a realloc follows it");
        cr_assert(eq(i64, r.d.heap_alloc, fits_by_realloc ? 100 : len + 1),
                  "glibc %s, %d bytes: the result is %s", gnu_get_libc_version(), len,
                  fits_by_realloc ? "the first buffer" : "the line's size");
        free(r.s);
    }
}

Test(format, light_survives_every_allocation_failure)
{
    char user[300];
    struct record r[4] = {recs[0], {.id = 2, .user = user, .qty = 1, .cents = 1}, recs[1], recs[2]};
    struct pair_ctx c = {light_format, r, 4, 0, 0};

    memset(user, 'z', sizeof user - 1);
    user[sizeof user - 1] = '\0';
    c.want = right_digest(r, 4);
    /* two allocation points: the buffer, and its growth for the long line */
    ASSERT_SWEEP_CLEAN(pair_job, &c);
    cr_assert(eq(u32, c.wrong, 0), "a run that returned 0 wrote other lines");
}

static int buf_job(void *ctx)
{
    struct benchmem_buf b = BENCHMEM_BUF_INIT;
    int rc = 0;

    (void)ctx;
    for (int width = 10; width <= 1000 && rc == 0; width *= 3)
        if (benchmem_buf_printf(&b, "%0*d", width, width) != width)
            rc = -1;
    benchmem_buf_free(&b);
    return rc;
}

Test(buf, printf_survives_every_allocation_failure)
{
    ASSERT_SWEEP_CLEAN(buf_job, NULL);
}
