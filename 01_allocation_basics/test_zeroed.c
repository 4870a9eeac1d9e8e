/* test_zeroed.c: lesson 01's calloc against malloc + memset. calloc and reallocarray refuse
 * an n * size that overflows, where malloc(n * size) gets the wrapped product; a big
 * calloc leaves its pages out of the resident set until they are written, and reading
 * them does not bring them in; each zeroing job makes the allocations it says; and
 * glibc's calloc of a small block skips the tcache on glibc 2.36 and takes from it on
 * 2.41. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <errno.h>
#include <gnu/libc-version.h>
#include <stdint.h>

#include "alloc_assert.h"
#include "platform.h"
#include "zeroed.h"

#define MIB ((size_t)1 << 20)
#define HUGE_N (SIZE_MAX / 16 + 2) /* HUGE_N * 16 is 2^64 + 16: it wraps to 16 */

Test(calloc_overflow, n_times_size_wraps_to_16_for_the_lessons_n)
{
    struct zeroed_overflow o;

    cr_assert(eq(int, zeroed_overflow(HUGE_N, 16, &o), 0));
    cr_assert(o.wrapped);
    cr_assert(eq(sz, o.product, 16));
}

Test(calloc_overflow, calloc_refuses_an_overflowing_product_and_allocates_nothing)
{
    struct zeroed_overflow o;

    cr_assert(eq(int, zeroed_overflow(HUGE_N, 16, &o), 0));
    cr_assert(o.calloc_way.null, "calloc(n, 16) must return NULL when n * 16 overflows");
    cr_assert(eq(int, o.calloc_way.err, ENOMEM));
    cr_assert(eq(u64, o.calloc_way.allocs, 0), "a refused calloc counts no allocation");
}

Test(calloc_overflow, reallocarray_refuses_it_too)
{
    struct zeroed_overflow o;

    cr_assert(eq(int, zeroed_overflow(HUGE_N, 16, &o), 0));
    cr_assert(o.reallocarray_way.null);
    cr_assert(eq(int, o.reallocarray_way.err, ENOMEM));
    cr_assert(eq(u64, o.reallocarray_way.allocs, 0));
}

Test(calloc_overflow, malloc_of_the_wrapped_product_succeeds_with_16_bytes)
{
    struct zeroed_overflow o;

    cr_assert(eq(int, zeroed_overflow(HUGE_N, 16, &o), 0));
    cr_assert(not(o.malloc_way.null), "malloc(n * 16) is malloc(16): it succeeds");
    cr_assert(eq(u64, o.malloc_way.allocs, 1));
    cr_assert(eq(u64, o.malloc_way.bytes, 16), "one allocation of the wrapped product, 16 bytes");
}

Test(calloc_overflow, a_product_that_fits_is_one_allocation_of_it_all_three_ways)
{
    struct zeroed_overflow o;

    cr_assert(eq(int, zeroed_overflow(10, 16, &o), 0));
    cr_assert(not(o.wrapped));
    cr_assert(eq(sz, o.product, 160));
    const struct zeroed_way *ways[] = {&o.calloc_way, &o.reallocarray_way, &o.malloc_way};
    for (size_t i = 0; i < 3; i++) {
        cr_assert(not(ways[i]->null));
        cr_assert(eq(u64, ways[i]->allocs, 1));
        cr_assert(eq(u64, ways[i]->bytes, 160));
    }
}

/* The kernel's resident-set figure can lag by a few pages, and a huge page (THP set to
 * "always") is 2 MiB: the bounds leave room for both. */
#define UNTOUCHED_MAX ((int64_t)(4 * MIB))
#define TOUCHED_MIN ((int64_t)(60 * MIB))

Test(calloc_pages, a_64_mib_calloc_stays_out_of_the_resident_set_until_it_is_written,
     GLIBC_MALLOC_ONLY)
{
    struct zeroed_pages pg;

    cr_assert(eq(int, zeroed_pages(64 * MIB, &pg), 0));
    cr_assert(pg.calloc_zero, "every byte calloc returned must read 0");
    cr_assert(lt(i64, pg.calloc_step.rss, UNTOUCHED_MAX),
              "calloc(1, 64 MiB) writes no page: the resident set grew by %lld bytes",
              (long long)pg.calloc_step.rss);
    cr_assert(lt(i64, pg.read_step.rss, UNTOUCHED_MAX),
              "reading maps the shared zero page: the resident set grew by %lld bytes",
              (long long)pg.read_step.rss);
    cr_assert(gt(u64, pg.read_step.faults, 0), "each page read faults in the zero page");
    cr_assert(ge(i64, pg.write_step.rss, TOUCHED_MIN),
              "writing every page makes each resident: grew by only %lld bytes",
              (long long)pg.write_step.rss);
}

Test(calloc_pages, malloc_and_memset_of_64_mib_make_every_page_resident, GLIBC_MALLOC_ONLY)
{
    struct zeroed_step kept;

    cr_assert(eq(int, zeroed_fill_step(zerofill_kept, 64 * MIB, &kept), 0));
    cr_assert(ge(i64, kept.rss, TOUCHED_MIN),
              "memset writes every page: the resident set grew by only %lld bytes",
              (long long)kept.rss);
}

static int sweep_pages(void *ctx)
{
    struct zeroed_pages pg;

    (void)ctx;
    return zeroed_pages(MIB, &pg);
}

/* demo/zerofill.c, the same malloc + memset built twice (lesson.mk). */
Test(calloc_pages, gcc_O2_alone_makes_malloc_and_memset_one_calloc_which_leaves_the_pages_alone,
     GLIBC_MALLOC_ONLY)
{
    struct zeroed_step o2, kept;
    int rc = -1;

    ASSERT_ALLOCS(rc = zeroed_fill_step(zerofill_o2, 64 * MIB, &o2), 1, 64 * MIB);
    cr_assert(eq(int, rc, 0));
    cr_assert(lt(i64, o2.rss, UNTOUCHED_MAX),
              "built with gcc's builtins, malloc + memset is one calloc: no page written, "
              "but the resident set grew by %lld bytes", (long long)o2.rss);
    ASSERT_ALLOCS(rc = zeroed_fill_step(zerofill_kept, 64 * MIB, &kept), 1, 64 * MIB);
    cr_assert(eq(int, rc, 0));
    cr_assert(ge(i64, kept.rss, TOUCHED_MIN),
              "built with -fno-builtin-malloc, memset writes every page: grew by only %lld bytes",
              (long long)kept.rss);
}

Test(calloc_pages, the_pages_demonstration_frees_what_it_took_whichever_allocation_fails)
{
    struct zeroed_pages pg;

    ASSERT_NO_LEAK(zeroed_pages(MIB, &pg));
    ASSERT_SWEEP_CLEAN(sweep_pages, NULL);
}

Test(calloc_jobs, each_big_job_is_one_allocation_of_the_size_freed)
{
    struct zeroed_job j = {.bytes = MIB};
    int rc = -1;

    ASSERT_ALLOCS(rc = zeroed_calloc_job(&j), 1, MIB);
    cr_assert(eq(int, rc, 0));
    ASSERT_ALLOCS(rc = zeroed_calloc_write_job(&j), 1, MIB);
    cr_assert(eq(int, rc, 0));
    ASSERT_ALLOCS(rc = zeroed_malloc_memset_job(&j), 1, MIB);
    cr_assert(eq(int, rc, 0));
    ASSERT_NO_LEAK(zeroed_malloc_memset_job(&j));
    cr_assert(eq(u32, j.sink, 1), "only calloc+write leaves a 1 in the last byte read");
}

Test(calloc_jobs, each_small_job_is_one_allocation_a_block_freed)
{
    struct zeroed_job j = {.bytes = 64, .count = 1000};
    int rc = -1;

    ASSERT_ALLOCS(rc = zeroed_small_calloc_job(&j), 1000, 64000);
    cr_assert(eq(int, rc, 0));
    ASSERT_ALLOCS(rc = zeroed_small_memset_job(&j), 1000, 64000);
    cr_assert(eq(int, rc, 0));
    ASSERT_NO_LEAK(zeroed_small_calloc_job(&j));
    cr_assert(eq(u32, j.sink, 0), "a zeroed block's last byte reads 0");
}

static int sweep_jobs(void *ctx)
{
    struct zeroed_job big = {.bytes = MIB}, small = {.bytes = 64, .count = 3};

    (void)ctx;
    if (zeroed_calloc_job(&big) != 0 || zeroed_calloc_write_job(&big) != 0 ||
        zeroed_malloc_memset_job(&big) != 0 || zeroed_small_calloc_job(&small) != 0)
        return -1;
    return zeroed_small_memset_job(&small);
}

Test(calloc_jobs, every_job_reports_a_failed_allocation_and_leaks_nothing)
{
    ASSERT_SWEEP_CLEAN(sweep_jobs, NULL);
}

Test(calloc_tcache, malloc_takes_back_the_block_a_free_just_cached, GLIBC_MALLOC_ONLY)
{
    struct zeroed_small sm;

    cr_assert(eq(int, zeroed_small(100, &sm), 0));
    cr_assert(sm.malloc_reuses, "malloc(100) right after free(p) of 100 bytes returns p (the tcache)");
}

Test(calloc_tcache, calloc_skips_the_tcache_on_glibc_2_36_and_takes_from_it_on_2_41,
     GLIBC_MALLOC_ONLY)
{
    struct zeroed_small sm;
    bool uses = platform_calloc_uses_tcache();

    cr_assert(eq(int, zeroed_small(100, &sm), 0));
    cr_assert(sm.calloc_reuses == uses,
              "glibc %s: calloc(1, 100) right after free(p) of 100 bytes should %s "
              "(glibc 2.36: another block, from the arena; 2.41: p, from the tcache)",
              gnu_get_libc_version(), uses ? "return p" : "return another block");
    cr_assert(sm.calloc_zero, "calloc's block reads 0, though the block freed before was written");
}
