/* test_corners.c: lesson 01's realloc corners. realloc(p, 0) frees and returns NULL in
 * glibc (C17 leaves it to the implementation, C23 makes it undefined); a shrink keeps
 * the block where it is, an mmap'd one included; a growth stays in place only when the
 * space after the block is free; every realloc counts as one allocation and one free;
 * and `p = realloc(p, n)` loses the block when realloc fails. glibc 2.36 and 2.41 alike. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "alloc_assert.h"
#include "corners.h"

#define MIB ((size_t)1 << 20)

Test(realloc_corners, glibc_realloc_to_0_frees_the_block_and_returns_null, GLIBC_MALLOC_ONLY)
{
    struct corners_zero z;

    cr_assert(eq(int, corners_realloc_zero(100, &z), 0));
    cr_assert(z.returned_null, "glibc: realloc(p, 0) returns NULL (musl and the BSDs return a block)");
    cr_assert(z.freed, "and frees p: the next malloc(100) hands the same block out");
}

Test(realloc_corners, realloc_to_0_counts_one_free_and_no_allocation)
{
    void *p = malloc(100), *r = p;
    struct countalloc_stats d;

    cr_assert(p != NULL);
    ALLOC_MEASURE(r = realloc(p, 0), d);
    cr_assert(eq(ptr, r, NULL));
    cr_assert(eq(u64, d.mallocs, 0));
    cr_assert(eq(u64, d.frees, 1), "as memcheck counts it: a free");
}

Test(realloc_corners, every_realloc_counts_one_allocation_and_one_free_even_in_place)
{
    void *p = malloc(1000), *q = NULL;
    struct countalloc_stats d;

    cr_assert(p != NULL);
    ALLOC_MEASURE(q = realloc(p, 100), d);
    cr_assert(q != NULL);
    cr_assert(eq(u64, d.mallocs, 1));
    cr_assert(eq(u64, d.frees, 1));
    cr_assert(eq(u64, d.total_alloc, 100));
    free(q);
}

Test(realloc_corners, a_shrink_keeps_the_block_where_it_is, GLIBC_MALLOC_ONLY)
{
    struct corners_move m;

    cr_assert(eq(int, corners_realloc_move(1000, 100, false, &m), 0));
    cr_assert(m.in_place);
    cr_assert(eq(sz, m.chunk_before, 1008));
    cr_assert(eq(sz, m.chunk_after, 112), "the tail became a free chunk of its own");
}

Test(realloc_corners, shrinking_an_mmapped_block_keeps_it_in_place_on_one_page,
     GLIBC_MALLOC_ONLY)
{
    struct corners_move m;

    cr_assert(eq(int, corners_realloc_move(64 * MIB, 100, false, &m), 0));
    cr_assert(m.mmapped_before, "64 MiB is past any mmap threshold");
    cr_assert(m.in_place, "mremap shrinks the mapping where it is");
    cr_assert(eq(sz, m.chunk_after, 4096), "100 bytes keep one page; the rest goes back");
}

Test(realloc_corners, a_growth_stays_in_place_when_the_space_after_is_free, GLIBC_MALLOC_ONLY)
{
    struct corners_move m;

    cr_assert(eq(int, corners_realloc_move(1000, 2500, false, &m), 0));
    cr_assert(m.in_place);
    cr_assert(eq(sz, m.chunk_after, 2512));
}

Test(realloc_corners, a_growth_moves_the_block_when_another_one_follows_it, GLIBC_MALLOC_ONLY)
{
    struct corners_move m;

    cr_assert(eq(int, corners_realloc_move(1000, 2500, true, &m), 0));
    cr_assert(not(m.in_place), "a live block right after: a new block, 1,000 bytes copied");
}

Test(realloc_corners, p_equals_realloc_p_loses_the_block_when_realloc_refuses)
{
    struct corners_lost l;

    cr_assert(eq(int, corners_realloc_lose(100, SIZE_MAX / 4, &l), 0));
    cr_assert(l.p_null, "realloc refused SIZE_MAX / 4 bytes (no address space holds them), "
                        "and p became NULL");
    cr_assert(l.block_intact, "the old block is untouched...");
    cr_assert(eq(i64, l.live_blocks, 1), "...and still allocated, with no pointer to it");
}

Test(realloc_corners, p_equals_realloc_p_loses_the_block_when_an_allocation_fails)
{
    struct corners_lost l;

    SKIP_WITHOUT_INJECTION();
    countalloc_fail_at(2, false); /* the malloc succeeds, the realloc fails */
    cr_assert(eq(int, corners_realloc_lose(100, 200, &l), 0));
    countalloc_fail_off();
    cr_assert(l.p_null);
    cr_assert(l.block_intact);
    cr_assert(eq(i64, l.live_blocks, 1));
}

static int job_lose(void *ctx)
{
    struct corners_lost l;

    (void)ctx;
    if (corners_realloc_lose(100, 200, &l) != 0)
        return -1;
    return l.p_null ? -1 : 0; /* a refused realloc is this job's failure to report */
}

Test(realloc_corners, the_demonstration_frees_what_it_took_whichever_allocation_fails)
{
    ASSERT_SWEEP_CLEAN(job_lose, NULL);
}
