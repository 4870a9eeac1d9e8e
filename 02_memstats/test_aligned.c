/* test_aligned.c: lesson 02's "how do you get an aligned block, and what does it cost".
 * Counted: every aligned call is one allocation of the bytes asked for, at a multiple of
 * the alignment; aligned_own_alloc is one malloc of size + align - 1 + sizeof(void *) and
 * gives back exactly that. The refusals: posix_memalign returns EINVAL and touches neither
 * errno nor *memptr, on every glibc; glibc's aligned_alloc refuses an alignment that is not
 * a power of two on 2.41 and rounds it up on 2.36 (platform_aligned_alloc_checks_alignment).
 * glibc's chunks, where glibc serves: the block's chunk, what the heap gave up, and that
 * what it gave up is the chunks plus the pieces split off, which glibc 2.36 parks in the
 * tcache and 2.41 frees to the bins (platform_memalign_pieces_to_tcache). In the sanitizer
 * build ASan serves the calls, counted through its hooks, and its aligned_alloc refuses a
 * size that is not a multiple of the alignment (C11's rule), which glibc serves. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <errno.h>
#include <limits.h>
#include <malloc.h>
#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#include "aligned.h"
#include "alloc_assert.h"
#include "cli_assert.h"
#include "platform.h"

static const size_t align[] = {16, 32, 64, 256, 4096};
static const size_t size[] = {64, 1024};
#define ALIGNS (sizeof align / sizeof align[0])
#define SIZES (sizeof size / sizeof size[0])

#define MIN_CHUNK 32 /* glibc's smallest chunk on x86-64 */

/* ---- what malloc guarantees ---- */

Test(aligned_malloc, every_malloc_block_is_aligned_for_max_align_t)
{
    size_t seen = 0;

    cr_assert(eq(int, aligned_malloc_seen(1024, &seen), 0));
    cr_assert(ge(sz, seen, alignof(max_align_t)),
              "malloc(1..1024) should all be at multiples of _Alignof(max_align_t) = %zu, "
              "saw one at a multiple of %zu only", alignof(max_align_t), seen);
}

Test(aligned_malloc, glibc_gives_malloc_exactly_max_align_t_and_no_more, GLIBC_MALLOC_ONLY)
{
    size_t seen = 0;

    cr_assert(eq(int, aligned_malloc_seen(1024, &seen), 0));
    cr_assert(eq(sz, seen, alignof(max_align_t)),
              "over 1,024 blocks some address should be an odd multiple of %zu", seen);
}

/* ---- the calls, counted ---- */

Test(aligned_counted, each_call_is_one_allocation_of_the_bytes_asked_for_and_aligned_as_asked)
{
    enum aligned_call call[] = {ALIGNED_ALIGNED_ALLOC, ALIGNED_POSIX_MEMALIGN, ALIGNED_MEMALIGN};

    for (size_t c = 0; c < sizeof call / sizeof call[0]; c++)
        for (size_t a = 0; a < ALIGNS; a++)
            for (size_t s = 0; s < SIZES; s++) {
                struct countalloc_stats d;
                void *p = NULL;
                int err = -1;

                ALLOC_MEASURE(p = aligned_call(call[c], align[a], size[s], &err), d);
                if (!countalloc_can_inject() && call[c] == ALIGNED_ALIGNED_ALLOC && size[s] % align[a] != 0) {
                    /* ASan (allocator_may_return_null=1) keeps C11's rule: EINVAL */
                    cr_assert(eq(ptr, p, NULL), "ASan: aligned_alloc(%zu, %zu)", align[a], size[s]);
                    cr_assert(eq(int, err, EINVAL));
                    continue;
                }
                cr_assert(eq(u64, d.mallocs, 1), "%s: one allocation", aligned_call_name(call[c]));
                cr_assert(eq(u64, d.total_alloc, size[s]), "%s: the bytes asked for", aligned_call_name(call[c]));
                cr_assert(not(eq(ptr, p, NULL)), "%s(%zu, %zu) failed", aligned_call_name(call[c]),
                          align[a], size[s]);
                cr_assert(eq(int, err, 0));
                cr_assert(eq(sz, (uintptr_t)p % align[a], 0), "%s(%zu, %zu) returned %p",
                          aligned_call_name(call[c]), align[a], size[s], p);
                memset(p, 0xab, size[s]);
                ALLOC_MEASURE(free(p), d);
                cr_assert(eq(u64, d.frees, 1));
                cr_assert(eq(i64, d.heap_alloc, -(int64_t)size[s]), "free gives back the bytes asked for");
            }
}

Test(aligned_counted, the_public_calls_themselves_count_one_allocation_each)
{
    void *p = NULL;
    size_t n = 4096; /* a multiple of every alignment here: ASan's aligned_alloc wants one */
    int rc = -1;

    ASSERT_ALLOCS(p = aligned_alloc(64, n), 1, n);
    free(p);
    ASSERT_ALLOCS(rc = posix_memalign(&p, 4096, n), 1, n);
    cr_assert(eq(int, rc, 0));
    free(p);
    ASSERT_ALLOCS(p = memalign(256, n), 1, n);
    free(p);
}

Test(aligned_counted, posix_memalign_refuses_a_bad_alignment_with_its_return_value_alone)
{
    static const size_t bad[] = {24, 4, 0, 3 * sizeof(void *)};

    SKIP_IN_SANITIZER_BUILD("ASan reports a bad alignment as an error and stops");
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        void *p = (void *)bad;
        int rc = -1;

        errno = ERANGE;
        ASSERT_NO_ALLOCS(rc = posix_memalign(&p, bad[i], 64));
        cr_assert(eq(int, rc, EINVAL), "posix_memalign(&p, %zu, 64) should return EINVAL", bad[i]);
        cr_assert(eq(int, errno, ERANGE), "errno is not how posix_memalign reports");
        cr_assert(eq(ptr, p, (void *)bad), "*memptr should be left as it was");
    }
}

/* ---- by hand, on top of malloc ---- */

Test(aligned_own, it_asks_malloc_for_the_size_plus_align_minus_1_plus_a_pointer)
{
    for (size_t a = 1; a <= 4096; a <<= 1)
        for (size_t s = 0; s < SIZES; s++)
            cr_assert(eq(sz, aligned_own_request(a, size[s]), size[s] + a - 1 + sizeof(void *)));
    cr_assert(eq(sz, aligned_own_request(64, SIZE_MAX - 8), 0), "overflow: 0");
}

Test(aligned_own, a_block_is_one_malloc_aligned_as_asked_and_free_gives_exactly_that_back)
{
    for (size_t a = 1; a <= 4096; a <<= 1)
        for (size_t s = 0; s < SIZES; s++) {
            struct countalloc_stats d;
            void *p = NULL;

            ASSERT_ALLOCS(p = aligned_own_alloc(a, size[s]), 1, aligned_own_request(a, size[s]));
            cr_assert(not(eq(ptr, p, NULL)));
            cr_assert(eq(sz, (uintptr_t)p % a, 0), "own(%zu, %zu) returned %p", a, size[s], p);
            memset(p, 0xcd, size[s]); /* the whole block is the caller's */
            ALLOC_MEASURE(aligned_own_free(p), d);
            cr_assert(eq(u64, d.frees, 1));
            cr_assert(eq(i64, d.heap_alloc, -(int64_t)aligned_own_request(a, size[s])),
                      "free should give back the %zu bytes malloc was asked for",
                      aligned_own_request(a, size[s]));
        }
    ASSERT_NO_ALLOCS(aligned_own_free(NULL));
}

Test(aligned_own, a_bad_alignment_is_einval_and_an_impossible_size_enomem_with_nothing_taken)
{
    static const size_t bad[] = {0, 3, 24, 4095};
    void *p = (void *)1;

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        errno = 0;
        ASSERT_NO_ALLOCS(p = aligned_own_alloc(bad[i], 64));
        cr_assert(eq(ptr, p, NULL));
        cr_assert(eq(int, errno, EINVAL), "alignment %zu", bad[i]);
    }
    errno = 0;
    ASSERT_NO_ALLOCS(p = aligned_own_alloc(64, SIZE_MAX - 8));
    cr_assert(eq(ptr, p, NULL));
    cr_assert(eq(int, errno, ENOMEM));
}

#define SWEEP_BLOCKS 4

/* Four blocks at four alignments, each written; freed in the end. -1 when one failed
 * (the ones before it freed). */
static int sweep_own(void *ctx)
{
    void *p[SWEEP_BLOCKS];
    int rc = 0, got = 0;

    (void)ctx;
    for (; got < SWEEP_BLOCKS; got++) {
        if ((p[got] = aligned_own_alloc((size_t)16 << (2 * got), 100)) == NULL) {
            rc = -1;
            break;
        }
        memset(p[got], got, 100);
    }
    while (got > 0)
        aligned_own_free(p[--got]);
    return rc;
}

Test(aligned_own, every_failed_allocation_is_reported_and_nothing_leaks)
{
    ASSERT_SWEEP_CLEAN(sweep_own, NULL);
}

static int sweep_calls(void *ctx)
{
    enum aligned_call call[] = {ALIGNED_ALIGNED_ALLOC, ALIGNED_POSIX_MEMALIGN, ALIGNED_MEMALIGN, ALIGNED_OWN};
    size_t seen;
    int err;

    (void)ctx;
    if (aligned_malloc_seen(8, &seen) != 0)
        return -1;
    for (size_t c = 0; c < sizeof call / sizeof call[0]; c++) {
        void *p = aligned_call(call[c], 64, 100, &err);

        if (p == NULL) {
            cr_assert(eq(int, err, ENOMEM), "%s: a failed allocation is ENOMEM", aligned_call_name(call[c]));
            return -1;
        }
        aligned_free(call[c], p);
    }
    return 0;
}

Test(aligned_counted, every_call_reports_a_failed_allocation_as_enomem)
{
    ASSERT_SWEEP_CLEAN(sweep_calls, NULL);
}

/* ---- glibc's own: the refusals, by version ---- */

static struct aligned_outcome outcome(enum aligned_call c, size_t al, size_t sz)
{
    struct aligned_outcome o;

    cr_assert(eq(int, aligned_glibc_outcome(c, al, sz, &o), 0));
    return o;
}

Test(aligned_glibc, posix_memalign_returns_einval_leaving_errno_and_memptr_on_every_version,
     GLIBC_MALLOC_ONLY)
{
    static const size_t bad[] = {24, 4, 0};

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct aligned_outcome o = outcome(ALIGNED_POSIX_MEMALIGN, bad[i], 64);

        cr_assert(not(o.block));
        cr_assert(eq(int, o.ret, EINVAL), "alignment %zu", bad[i]);
        cr_assert(eq(int, o.err, 0), "errno set to %d", o.err);
        cr_assert(not(o.wrote_memptr));
    }
}

Test(aligned_glibc, aligned_alloc_refuses_a_non_power_of_two_on_2_41_and_rounds_it_up_on_2_36,
     GLIBC_MALLOC_ONLY)
{
    static const size_t bad[] = {24, 0};

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct aligned_outcome o = outcome(ALIGNED_ALIGNED_ALLOC, bad[i], 64);

        if (platform_aligned_alloc_checks_alignment()) {
            cr_assert(not(o.block), "glibc 2.41: aligned_alloc(%zu, 64) should be refused", bad[i]);
            cr_assert(eq(int, o.err, EINVAL));
        } else {
            cr_assert(o.block, "glibc 2.36: aligned_alloc(%zu, 64) should be served", bad[i]);
            cr_assert(ge(sz, o.block_align, bad[i] == 24 ? 32 : alignof(max_align_t)),
                      "rounded up to the next power of two, at least malloc's alignment");
            cr_assert(eq(int, o.err, 0));
        }
    }
}

Test(aligned_glibc, a_size_not_a_multiple_of_the_alignment_and_memaligns_bad_one_are_served,
     GLIBC_MALLOC_ONLY)
{
    struct aligned_outcome o;

    o = outcome(ALIGNED_ALIGNED_ALLOC, 64, 10);
    cr_assert(o.block, "aligned_alloc(64, 10): C11 made it undefined, C17 and glibc serve it");
    cr_assert(ge(sz, o.block_align, 64));
    o = outcome(ALIGNED_ALIGNED_ALLOC, 4, 64);
    cr_assert(o.block, "a power of two under malloc's alignment is served");
    cr_assert(ge(sz, o.block_align, alignof(max_align_t)));
    o = outcome(ALIGNED_MEMALIGN, 24, 64);
    cr_assert(o.block, "memalign rounds a bad alignment up on every version");
    cr_assert(ge(sz, o.block_align, 32));
}

/* ---- glibc's own: chunks and what is left between them ---- */

static struct aligned_footprint footprint(enum aligned_call c, size_t al, size_t sz, unsigned n)
{
    struct aligned_footprint f;

    cr_assert(eq(int, aligned_footprint(c, al, sz, n, &f), 0), "%s(%zu, %zu) x %u: %s",
              aligned_call_name(c), al, sz, n, strerror(errno));
    cr_assert(f.aligned, "%s(%zu, %zu): a block not aligned as asked", aligned_call_name(c), al, sz);
    cr_assert(eq(i64, (int64_t)f.taken, (int64_t)f.chunks + f.parked + f.binned),
              "what the heap gave up is the chunks and the pieces split off, nothing else");
    return f;
}

#define ROW 20

Test(aligned_glibc, one_aligned_block_takes_its_chunk_and_at_most_size_plus_align_plus_a_minimum_chunk,
     GLIBC_MALLOC_ONLY)
{
    for (size_t a = 1; a < ALIGNS; a++) /* above 16 */
        for (size_t s = 0; s < SIZES; s++) {
            struct aligned_footprint f = footprint(ALIGNED_ALIGNED_ALLOC, align[a], size[s], 1);
            size_t nb = platform_chunk_for(size[s]);

            cr_assert(ge(u64, f.chunk, nb), "aligned_alloc(%zu, %zu): chunk %llu", align[a], size[s],
                      (unsigned long long)f.chunk);
            cr_assert(lt(u64, f.chunk, nb + MIN_CHUNK), "a tail under a minimum chunk stays in the block");
            cr_assert(ge(u64, f.taken, f.chunk));
            cr_assert(le(u64, f.taken, platform_chunk_for(nb + align[a] + MIN_CHUNK)),
                      "aligned_alloc(%zu, %zu): glibc asks for %zu + %zu + %d, took %llu", align[a],
                      size[s], nb, align[a], MIN_CHUNK, (unsigned long long)f.taken);
        }
}

Test(aligned_glibc, malloc_and_an_alignment_of_16_leave_nothing_between_blocks,
     GLIBC_MALLOC_ONLY)
{
    for (size_t s = 0; s < SIZES; s++) {
        struct aligned_footprint m = footprint(ALIGNED_MALLOC, 16, size[s], ROW);
        struct aligned_footprint a = footprint(ALIGNED_ALIGNED_ALLOC, 16, size[s], ROW);

        cr_assert(eq(u64, m.chunk, platform_chunk_for(size[s])));
        cr_assert(eq(u64, m.taken, ROW * platform_chunk_for(size[s])), "malloc(%zu) x %d", size[s], ROW);
        cr_assert(eq(u64, a.taken, m.taken), "aligned_alloc(16, n) is malloc(n)");
        cr_assert(eq(i64, a.parked + a.binned, 0));
    }
}

Test(aligned_glibc, a_row_of_aligned_blocks_leaves_pieces_between_them, GLIBC_MALLOC_ONLY)
{
    for (size_t a = 2; a < ALIGNS; a++) /* 64 and up: every block needs a piece split off */
        for (size_t s = 0; s < SIZES; s++) {
            struct aligned_footprint f = footprint(ALIGNED_ALIGNED_ALLOC, align[a], size[s], ROW);

            cr_assert(gt(u64, f.taken, f.chunks), "aligned_alloc(%zu, %zu) x %d left nothing between",
                      align[a], size[s], ROW);
            cr_assert(gt(i64, f.parked + f.binned, 0));
        }
}

Test(aligned_glibc, the_pieces_go_to_the_tcache_on_2_36_and_to_the_bins_on_2_41,
     GLIBC_MALLOC_ONLY)
{
    int64_t parked = 0;

    for (size_t a = 2; a < ALIGNS; a++)
        for (size_t s = 0; s < SIZES; s++) {
            struct aligned_footprint f = footprint(ALIGNED_ALIGNED_ALLOC, align[a], size[s], ROW);

            cr_assert(ge(i64, f.parked, 0));
            cr_assert(gt(i64, f.binned, 0), "aligned_alloc(%zu, %zu) x %d: some pieces are free in the bins",
                      align[a], size[s], ROW);
            parked += f.parked;
        }
    if (platform_memalign_pieces_to_tcache())
        cr_assert(gt(i64, parked, 0), "glibc < 2.41: some split-off pieces are parked in the tcache");
    else
        cr_assert(eq(i64, parked, 0), "glibc 2.41: no split-off piece goes to the tcache, saw %lld B",
                  (long long)parked);
}

Test(aligned_glibc, posix_memalign_and_memalign_cost_what_aligned_alloc_costs,
     GLIBC_MALLOC_ONLY)
{
    for (size_t a = 0; a < ALIGNS; a++) {
        struct aligned_footprint f = footprint(ALIGNED_ALIGNED_ALLOC, align[a], 64, ROW);

        for (enum aligned_call c = ALIGNED_POSIX_MEMALIGN; c <= ALIGNED_MEMALIGN; c++) {
            struct aligned_footprint g = footprint(c, align[a], 64, ROW);

            cr_assert(eq(u64, g.chunks, f.chunks), "%s(%zu): one code path in glibc", aligned_call_name(c), align[a]);
            cr_assert(eq(u64, g.taken, f.taken));
            cr_assert(eq(i64, g.parked, f.parked));
        }
    }
}

Test(aligned_glibc, the_own_allocators_block_is_one_malloc_chunk_with_nothing_between,
     GLIBC_MALLOC_ONLY)
{
    for (size_t a = 2; a < ALIGNS; a++)
        for (size_t s = 0; s < SIZES; s++) {
            struct aligned_footprint f = footprint(ALIGNED_OWN, align[a], size[s], ROW);
            size_t want = platform_chunk_for(aligned_own_request(align[a], size[s]));

            cr_assert(eq(u64, f.chunk, want), "own(%zu, %zu): malloc(%zu)'s chunk", align[a], size[s],
                      aligned_own_request(align[a], size[s]));
            cr_assert(eq(u64, f.taken, ROW * want), "the padding is inside each block");
        }
}

/* ---- the program ---- */

Test(aligned_program, bad_arguments_get_one_line_and_exit_status_2)
{
    static const char *const bad[] = {"abc", "0", "-5", "10001", "1x", "--bogus", "99999999999999999999999", "1 2"};

    ASSERT_BAD_ARGUMENTS("demo/aligned", "N", bad);
}
