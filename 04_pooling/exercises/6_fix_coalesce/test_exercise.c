/* test_exercise.c: mm_free merges a freed block with its free neighbours, whatever the
 * order of the frees; the live blocks' bytes survive it; every pointer stays aligned and
 * the allocator never calls malloc. Only exercise.h is used: a footer, a flag or a walk
 * to find the block before are all fine. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "alloc_assert.h"
#include "exercise.h"
#include "shuffle.h"

#define REGION 4096
#define MAX_BLOCKS (REGION / MM_ALIGN)
#define SMALL 40 /* the request of every block where the blocks must be alike */

static _Alignas(MM_ALIGN) unsigned char region[REGION + MM_ALIGN];

/* The blocks of a full region, sorted by address, and what each was asked for. */
struct held {
    unsigned char *p[MAX_BLOCKS];
    size_t n[MAX_BLOCKS];
    size_t count;
};

/* mm_init on REGION bytes at region + offset, over junk (as a reused region holds: no
 * byte mm_init did not write may be trusted); what it made: one free block. */
static struct mm_stats init_ok(struct mm *m, size_t offset)
{
    struct mm_stats s;

    memset(region, 0xa4, sizeof region);
    cr_assert(eq(int, mm_init(m, region + offset, REGION), 0), "mm_init on %d B failed", REGION);
    s = mm_stats(m);
    cr_assert(s.free_blocks == 1 && s.used_blocks == 0 && s.largest_free > REGION / 2,
              "after mm_init: expected 1 free block holding most of the %d B, saw %zu free "
              "and %zu used blocks, the largest free one holding %zu B", REGION, s.free_blocks,
              s.used_blocks, s.largest_free);
    return s;
}

static size_t small(size_t i)
{
    (void)i;
    return SMALL;
}

static size_t mixed(size_t i)
{
    return 1 + i * 37 % 100;
}

/* Blocks of size(i) bytes until mm_alloc says no, then of 1 byte until it says no again:
 * the region is full. */
static void fill(struct mm *m, struct held *h, size_t (*size)(size_t))
{
    h->count = 0;
    for (int pass = 0; pass < 2; pass++)
        for (;;) {
            size_t n = pass == 0 ? size(h->count) : 1;
            unsigned char *p;

            cr_assert(h->count < MAX_BLOCKS, "more than %d blocks in %d B", MAX_BLOCKS, REGION);
            if ((p = mm_alloc(m, n)) == NULL)
                break;
            h->p[h->count] = p;
            h->n[h->count++] = n;
        }
    for (size_t i = 1; i < h->count; i++) /* by address: insertion sort */
        for (size_t j = i; j > 0 && h->p[j - 1] > h->p[j]; j--) {
            unsigned char *p = h->p[j];
            size_t n = h->n[j];

            h->p[j] = h->p[j - 1], h->n[j] = h->n[j - 1];
            h->p[j - 1] = p, h->n[j - 1] = n;
        }
}

/* ---- neighbours merge ---- */

/* The region full of SMALL-byte blocks, then the blocks at at[0..k) (neighbours, counted
 * by address) freed in that order: they must be one free block now, holding at least
 * their k requests. */
static void free_neighbours(const size_t *at, size_t k, const char *how)
{
    struct mm m;
    struct held h;
    struct mm_stats s;
    size_t block, need = k * SMALL;
    long rest, seen;
    char saw[96];

    init_ok(&m, 0);
    fill(&m, &h, small);
    rest = (long)mm_stats(&m).free_blocks; /* a rest too small for any request may be free */
    block = (size_t)(h.p[1] - h.p[0]);
    for (size_t i = 0; i < k; i++)
        mm_free(&m, h.p[at[i]]);
    s = mm_stats(&m);
    seen = (long)s.free_blocks - rest;
    if (seen == (long)k && s.largest_free < block)
        snprintf(saw, sizeof saw, "%ld free blocks of %zu B side by side", seen, block);
    else if (seen == 1)
        snprintf(saw, sizeof saw, "1 free block holding %zu B", s.largest_free);
    else
        snprintf(saw, sizeof saw, "%ld free blocks, the largest holding %zu B", seen,
                 s.largest_free);
    cr_assert(seen == 1 && s.largest_free >= need,
              "%s: expected 1 free block holding at least %zu B, saw %s: %s", how, need, saw,
              seen == (long)k ? "free did not merge them"
              : seen > 1      ? "free merged some of them, not all"
              : seen == 1     ? "one block, but smaller than its parts: a size was lost"
                              : "a freed block is not free");
}

Test(coalesce, a_freed_block_merges_with_free_blocks_on_both_sides)
{
    free_neighbours((size_t[]){3, 5, 4}, 3, "blocks 3 and 5 freed, then block 4 between them");
}

Test(coalesce, a_freed_block_merges_with_the_free_block_after_it)
{
    free_neighbours((size_t[]){4, 3}, 2, "block 4 freed, then block 3 just before it");
}

Test(coalesce, a_freed_block_merges_with_the_free_block_before_it)
{
    free_neighbours((size_t[]){3, 4}, 2, "block 3 freed, then block 4 just after it");
}

Test(coalesce, a_request_that_needs_two_freed_neighbours_merged_succeeds)
{
    struct mm m;
    struct held h;
    void *p;

    init_ok(&m, 0);
    fill(&m, &h, small);
    mm_free(&m, h.p[3]);
    mm_free(&m, h.p[4]);
    p = mm_alloc(&m, 2 * SMALL);
    cr_assert(p != NULL, "a full region of %d-byte blocks, two neighbours freed: expected "
              "mm_alloc(%d) to get them as one block, saw NULL: no free block holds %d B, so "
              "free left them apart", SMALL, 2 * SMALL, 2 * SMALL);
}

/* ---- freeing everything leaves the region as mm_init made it ---- */

enum order { ADDRESS, REVERSE, SHUFFLED };

/* The region full of blocks of mixed sizes, all freed in that order: one free block the
 * size of the whole region again, and a request of that size gets it. */
static void free_all(enum order order, uint64_t seed)
{
    struct mm m;
    struct held h;
    struct mm_stats fresh = init_ok(&m, 0), s;
    size_t idx[MAX_BLOCKS];
    char how[64];

    fill(&m, &h, mixed);
    for (size_t i = 0; i < h.count; i++)
        idx[i] = order == REVERSE ? h.count - 1 - i : i;
    if (order == SHUFFLED)
        shuffle_indices(idx, h.count, seed);
    for (size_t i = 0; i < h.count; i++)
        mm_free(&m, h.p[idx[i]]);
    snprintf(how, sizeof how, "%s", order == ADDRESS   ? "in address order"
                                    : order == REVERSE ? "in reverse order"
                                                       : "in a shuffled order");
    if (order == SHUFFLED)
        snprintf(how + strlen(how), sizeof how - strlen(how), " (seed %llu)",
                 (unsigned long long)seed);
    s = mm_stats(&m);
    cr_assert(s.free_blocks == 1 && s.largest_free == fresh.largest_free,
              "all %zu blocks freed %s: expected 1 free block holding %zu B, the whole region "
              "as mm_init made it, saw %zu free blocks, the largest holding %zu B: %s",
              h.count, how, fresh.largest_free, s.free_blocks, s.largest_free,
              s.free_blocks >= h.count ? "free merged none of them"
              : s.free_blocks > 1      ? "free merged some neighbours, not all"
                                       : "one block, but not the whole region: a size was lost");
    cr_assert(mm_alloc(&m, fresh.largest_free) != NULL,
              "all blocks freed %s: expected mm_alloc(%zu), the whole region, to succeed, saw "
              "NULL", how, fresh.largest_free);
}

Test(coalesce, freeing_every_block_in_address_order_leaves_one_free_block_the_size_of_the_region)
{
    free_all(ADDRESS, 0);
}

Test(coalesce, freeing_every_block_in_reverse_order_leaves_one_free_block_the_size_of_the_region)
{
    free_all(REVERSE, 0);
}

Test(coalesce, freeing_every_block_in_shuffled_orders_leaves_one_free_block_the_size_of_the_region)
{
    for (uint64_t seed = 1; seed <= 8; seed++)
        free_all(SHUFFLED, seed);
}

/* ---- what merging must not break ---- */

static unsigned char tag(size_t i)
{
    return (unsigned char)(i * 31 + 7);
}

/* Every live block still holds its tag in each of its n bytes. */
static void assert_intact(const struct held *h, const unsigned char *tags, const char *after)
{
    for (size_t i = 0; i < h->count; i++)
        for (size_t b = 0; h->p[i] != NULL && b < h->n[i]; b++)
            cr_assert(h->p[i][b] == tags[i],
                      "after %s: expected the live block of %zu B at +%td to hold 0x%02x in "
                      "every byte, saw 0x%02x at byte %zu: free wrote into a block in use",
                      after, h->n[i], h->p[i] - region, tags[i], h->p[i][b], b);
}

/* Mixed blocks, each filled with its own byte; half of them freed one at a time in a
 * shuffled order, the holes refilled, three times over, then everything freed: after
 * every free, every block still live holds its bytes. */
Test(coalesce, every_live_blocks_bytes_stay_intact_while_its_neighbours_are_freed)
{
    struct mm m;
    struct held h;
    unsigned char tags[MAX_BLOCKS];
    size_t idx[MAX_BLOCKS];
    char after[96];

    init_ok(&m, 0);
    fill(&m, &h, mixed);
    for (size_t i = 0; i < h.count; i++)
        memset(h.p[i], tags[i] = tag(i), h.n[i]);
    for (int round = 0; round < 4; round++) {
        size_t live = 0;

        for (size_t i = 0; i < h.count; i++)
            if (h.p[i] != NULL)
                idx[live++] = i;
        shuffle_indices(idx, live, (uint64_t)round + 1);
        for (size_t k = 0; k < (round < 3 ? live / 2 : live); k++) {
            size_t i = idx[k];

            mm_free(&m, h.p[i]);
            snprintf(after, sizeof after, "round %d, freeing the block of %zu B at +%td",
                     round, h.n[i], h.p[i] - region);
            h.p[i] = NULL;
            assert_intact(&h, tags, after);
        }
        for (size_t i = 0; i < h.count && round < 3; i++) { /* refill the holes */
            if (h.p[i] != NULL)
                continue;
            h.n[i] = mixed(i + 50 * (size_t)(round + 1));
            tags[i] = tag(i + 100 * (size_t)(round + 1));
            if ((h.p[i] = mm_alloc(&m, h.n[i])) != NULL)
                memset(h.p[i], tags[i], h.n[i]);
        }
        assert_intact(&h, tags, "refilling the holes");
    }
}

Test(coalesce, every_pointer_is_16_byte_aligned_whatever_the_region_starts_at)
{
    for (size_t offset = 0; offset < MM_ALIGN; offset++) {
        struct mm m;
        struct held h;
        void *p;

        init_ok(&m, offset);
        fill(&m, &h, mixed);
        for (size_t i = 0; i < h.count; i++)
            cr_assert(eq(u64, (uintptr_t)h.p[i] % MM_ALIGN, 0),
                      "region at +%zu: mm_alloc(%zu) returned a pointer %zu B past a multiple "
                      "of %d", offset, h.n[i], (size_t)((uintptr_t)h.p[i] % MM_ALIGN), MM_ALIGN);
        for (size_t i = 1; i + 1 < h.count; i += 3) { /* pairs of neighbours, merged */
            mm_free(&m, h.p[i]);
            mm_free(&m, h.p[i + 1]);
        }
        while ((p = mm_alloc(&m, 100)) != NULL)
            cr_assert(eq(u64, (uintptr_t)p % MM_ALIGN, 0),
                      "region at +%zu: mm_alloc(100) from merged blocks returned a pointer %zu "
                      "B past a multiple of %d", offset, (size_t)((uintptr_t)p % MM_ALIGN),
                      MM_ALIGN);
    }
}

Test(coalesce, init_alloc_free_and_stats_make_no_allocation)
{
    struct mm m;
    struct held h;
    struct mm_stats s;

    ASSERT_NO_ALLOCS({
        mm_init(&m, region, REGION);
        fill(&m, &h, mixed);
        for (size_t i = 0; i < h.count; i++)
            mm_free(&m, h.p[h.count - 1 - i]);
        s = mm_stats(&m);
    });
    cr_assert(eq(sz, s.used_blocks, 0), "every block was freed");
}
