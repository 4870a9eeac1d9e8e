/* test_freelist.c: the free-list allocator (freelist.h) and make freelist-04's tour
 * (fltour.h). Every figure the design fixes is worked out here from the sizes of its
 * parts (a size_t header; a free block's header, two links and footer; alignof
 * max_align_t), not copied from freelist.h. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <criterion/redirect.h>

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>

#include "alloc_assert.h"
#include "fltour.h"
#include "freelist.h"
#include "shuffle.h"

#define HEADER sizeof(size_t)
#define ALIGN _Alignof(max_align_t)
#define MIN_BLOCK (sizeof(size_t) + 2 * sizeof(void *) + sizeof(size_t))
#define REGION 4096
#define EDGES (HEADER + HEADER) /* an aligned region: the alignment before the first
                                 * header, and the end marker */

static _Alignas(max_align_t) unsigned char region[64 * 1024];

/* The block a request of n bytes should take: n and the header, rounded up to the
 * alignment, never smaller than a free block's parts. */
static size_t block_for(size_t n)
{
    size_t b = (n + HEADER + ALIGN - 1) / ALIGN * ALIGN;

    return b < MIN_BLOCK ? MIN_BLOCK : b;
}

static void setup(struct fl *a, size_t size)
{
    cr_assert(eq(int, fl_init(a, region, size), 0));
}

static unsigned char *alloc_ok(struct fl *a, size_t n)
{
    unsigned char *p = fl_alloc(a, n);

    cr_assert(p != NULL, "fl_alloc(%zu) returned NULL", n);
    return p;
}

/* The four kinds of bytes add up to the region. */
static void assert_accounted(const struct fl_stats *s, size_t size)
{
    cr_assert(eq(sz, s->used_bytes + s->free_bytes + s->header_bytes + s->edge_bytes, size),
              "in use %zu + free %zu + headers %zu + edges %zu should be the region's %zu bytes",
              s->used_bytes, s->free_bytes, s->header_bytes, s->edge_bytes, size);
    cr_assert(eq(sz, s->header_bytes, (s->used_blocks + s->free_blocks) * HEADER),
              "one header per block");
}

static void assert_one_free_block(const struct fl *a, size_t size, const char *after)
{
    struct fl_stats s = fl_stats(a);

    cr_assert(eq(sz, s.used_blocks, 0), "%s: %zu blocks still in use", after, s.used_blocks);
    cr_assert(eq(sz, s.free_blocks, 1), "%s: expected one free block (all merged), saw %zu",
              after, s.free_blocks);
    cr_assert(eq(sz, s.largest_free, size - EDGES - HEADER),
              "%s: the free block should span the region less its edges", after);
    assert_accounted(&s, size);
}

/* The blocks and the free list agree (fl_check). */
static void assert_sound(const struct fl *a, const char *after)
{
    const char *broken = fl_check(a);

    cr_assert(broken == NULL, "%s: %s", after, broken);
}

/* The end of most tests: everything freed, so one free block again; the region released. */
static void end_all_free(struct fl *a, size_t size, const char *after)
{
    assert_sound(a, after);
    assert_one_free_block(a, size, after);
    fl_destroy(a);
}

/* ---- the layout ---- */

Test(freelist, a_fresh_region_is_one_free_block_of_the_region_less_its_two_edge_words)
{
    struct fl a;
    struct fl_stats s;

    setup(&a, REGION);
    s = fl_stats(&a);
    cr_assert(eq(sz, s.free_blocks, 1));
    cr_assert(eq(sz, s.used_blocks, 0));
    cr_assert(eq(sz, s.edge_bytes, EDGES), "an aligned region loses 8 bytes before the first "
              "header (to align the payloads) and 8 to the end marker");
    cr_assert(eq(sz, s.free_bytes, REGION - EDGES - HEADER));
    assert_accounted(&s, REGION);
    fl_destroy(&a);
}

Test(freelist, every_block_is_16_byte_aligned_and_holds_its_n_bytes_without_touching_its_neighbours)
{
    struct fl a;
    unsigned char *p[200];
    size_t n;

    setup(&a, sizeof region);
    for (n = 0; n < 200; n++) {
        p[n] = alloc_ok(&a, n);
        cr_assert(eq(u64, (uintptr_t)p[n] % ALIGN, 0), "fl_alloc(%zu) is not %zu-byte aligned",
                  n, (size_t)ALIGN);
        cr_assert(ge(sz, fl_usable_size(p[n]), n));
        memset(p[n], (int)n, n);
    }
    for (n = 0; n < 200; n++)
        for (size_t i = 0; i < n; i++)
            cr_assert(eq(u8, p[n][i], (uint8_t)n), "block %zu, byte %zu was overwritten", n, i);
    fl_destroy(&a);
}

Test(freelist, a_request_takes_itself_plus_a_size_t_header_rounded_up_to_16_and_at_least_32_bytes)
{
    struct fl a;

    setup(&a, REGION);
    for (size_t n = 0; n <= 1000; n++) {
        size_t before = fl_stats(&a).free_bytes;
        unsigned char *p = alloc_ok(&a, n);
        size_t after = fl_stats(&a).free_bytes;

        cr_assert(eq(sz, before - after, block_for(n)),
                  "fl_alloc(%zu) should take a block of %zu bytes from the free block, took %zu",
                  n, block_for(n), before - after);
        cr_assert(eq(sz, fl_usable_size(p), block_for(n) - HEADER));
        fl_free(&a, p);
    }
    cr_assert(eq(sz, block_for(1), MIN_BLOCK), "a 1-byte request takes a whole minimal block");
    cr_assert(eq(sz, block_for(1), 32), "on x86-64: 8 + 8 + 8 + 8");
    fl_destroy(&a);
}

Test(freelist, block_size_says_what_a_request_takes_and_0_when_it_overflows)
{
    for (size_t n = 0; n <= 1000; n++)
        cr_assert(eq(sz, fl_block_size(n), block_for(n)));
    cr_assert(eq(sz, fl_block_size(SIZE_MAX - HEADER - ALIGN + 1), SIZE_MAX - ALIGN + 1),
              "the largest request that still rounds up within a size_t");
    cr_assert(eq(sz, fl_block_size(SIZE_MAX - HEADER - ALIGN + 2), 0));
    cr_assert(eq(sz, fl_block_size(SIZE_MAX), 0));
}

/* ---- requests at the edges ---- */

Test(freelist, sizes_too_large_for_a_header_return_null_with_enomem_and_change_nothing)
{
    struct fl a;
    size_t sizes[] = {SIZE_MAX, SIZE_MAX - HEADER, SIZE_MAX - HEADER - ALIGN + 2, REGION};

    setup(&a, REGION);
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        errno = 0;
        cr_assert(eq(ptr, fl_alloc(&a, sizes[i]), NULL), "fl_alloc(%zu) should fail", sizes[i]);
        cr_assert(eq(int, errno, ENOMEM));
    }
    end_all_free(&a, REGION, "after the refused requests");
}

Test(freelist, a_request_of_0_bytes_gets_a_minimal_block_of_its_own)
{
    struct fl a;
    void *p, *q;

    setup(&a, REGION);
    p = alloc_ok(&a, 0);
    q = alloc_ok(&a, 0);
    cr_assert(ne(ptr, p, q), "two fl_alloc(0) are two blocks, as glibc's malloc(0)");
    cr_assert(eq(sz, fl_usable_size(p), MIN_BLOCK - HEADER));
    fl_free(&a, p);
    fl_free(&a, q);
    end_all_free(&a, REGION, "after both were freed");
}

Test(freelist, freeing_null_does_nothing)
{
    struct fl a;

    setup(&a, REGION);
    fl_free(&a, NULL);
    end_all_free(&a, REGION, "after fl_free(NULL)");
}

Test(freelist, a_region_too_small_for_one_block_is_refused)
{
    struct fl a;

    errno = 0;
    cr_assert(eq(int, fl_init(&a, region, MIN_BLOCK), -1));
    cr_assert(eq(int, errno, EINVAL));
}

Test(freelist, an_unaligned_region_still_gives_16_byte_aligned_blocks)
{
    struct fl a;
    struct fl_stats s;

    cr_assert(eq(int, fl_init(&a, region + 3, REGION), 0));
    for (size_t n = 1; n < 100; n += 7)
        cr_assert(eq(u64, (uintptr_t)alloc_ok(&a, n) % ALIGN, 0));
    s = fl_stats(&a);
    assert_accounted(&s, REGION);
    fl_destroy(&a);
}

/* Its message goes to stderr, kept out of the suite's output. */
Test(freelist, a_block_freed_twice_aborts_the_program, .signal = SIGABRT,
     .init = cr_redirect_stderr)
{
    struct fl a;
    void *p, *fence;

    setup(&a, REGION);
    p = alloc_ok(&a, 100);
    fence = alloc_ok(&a, 100); /* keeps p from merging, so that its header stays p's */
    fl_free(&a, p);
    fl_free(&a, p);
    (void)fence;
}

/* What ASan is told (common/memdebug.h): exactly the n bytes handed out are open. */
Test(freelist, in_the_asan_build_only_the_n_bytes_handed_out_are_addressable, SANITIZER_ONLY)
{
#ifdef MEMDEBUG_ASAN
    struct fl a;
    unsigned char *p, *fence;

    setup(&a, REGION);
    p = alloc_ok(&a, 20);
    fence = alloc_ok(&a, 1);
    cr_assert(eq(ptr, __asan_region_is_poisoned(p, 20), NULL), "the 20 bytes asked for are open");
    cr_assert(__asan_address_is_poisoned(p + 20), "the block's 4 spare bytes are not");
    cr_assert(__asan_address_is_poisoned(region + REGION / 2), "nor is a free block's inside");
    fl_free(&a, p);
    cr_assert(__asan_address_is_poisoned(p), "a freed block is poisoned, links included");
    (void)fence;
    fl_destroy(&a);
    cr_assert(eq(ptr, __asan_region_is_poisoned(region, REGION), NULL),
              "fl_destroy opens the region");
#else
    cr_fail("built without ASan: the declaration's SANITIZER_ONLY should have skipped this");
#endif
}

/* ---- split and first fit ---- */

Test(freelist, a_request_splits_the_free_block_into_its_block_and_a_free_rest_after_it)
{
    struct fl a;
    unsigned char *p, *q;
    struct fl_stats s;

    setup(&a, REGION);
    p = alloc_ok(&a, 100);
    cr_assert(eq(ptr, p, region + ALIGN), "the first payload follows the first header");
    s = fl_stats(&a);
    cr_assert(eq(sz, s.used_blocks, 1));
    cr_assert(eq(sz, s.free_blocks, 1), "the rest of the region stays one free block");
    cr_assert(eq(sz, s.free_bytes, REGION - EDGES - block_for(100) - HEADER));
    q = alloc_ok(&a, 1);
    cr_assert(eq(ptr, q, p + block_for(100)), "the next block starts where the split left off");
    fl_destroy(&a);
}

Test(freelist, a_rest_too_small_for_a_minimal_block_stays_in_the_block)
{
    struct fl a;
    unsigned char *hole, *fence, *p;
    size_t hole_block = block_for(300);

    setup(&a, REGION);
    hole = alloc_ok(&a, 300);
    fence = alloc_ok(&a, 1);
    fl_free(&a, hole); /* the list: the hole, then the region's tail */
    p = alloc_ok(&a, hole_block - HEADER - MIN_BLOCK); /* leaves exactly a minimal block */
    cr_assert(eq(ptr, p, hole));
    cr_assert(eq(sz, fl_usable_size(p), hole_block - MIN_BLOCK - HEADER),
              "split: the rest is a block");
    fl_free(&a, p);
    p = alloc_ok(&a, hole_block - HEADER - MIN_BLOCK + 1); /* leaves less */
    cr_assert(eq(ptr, p, hole));
    cr_assert(eq(sz, fl_usable_size(p), hole_block - HEADER), "not split: the whole hole");
    cr_assert(eq(sz, fl_stats(&a).free_blocks, 1), "only the region's tail is free");
    (void)fence;
    fl_destroy(&a);
}

Test(freelist, first_fit_takes_the_newest_free_block_that_fits_not_the_best_one)
{
    struct fl a;
    unsigned char *blk[5], *p, *q;
    size_t sizes[5] = {100, 300, 100, 500, 100};

    setup(&a, REGION);
    for (size_t i = 0; i < 5; i++)
        blk[i] = alloc_ok(&a, sizes[i]);
    fl_free(&a, blk[1]); /* 300: the better fit for 200 */
    fl_free(&a, blk[3]); /* 500: freed last, first on the list */
    p = alloc_ok(&a, 200);
    cr_assert(eq(ptr, p, blk[3]), "first fit: the first block on the list that fits, D");
    q = alloc_ok(&a, 400);
    cr_assert(eq(ptr, q, blk[4] + block_for(100)),
              "400 B fits neither D's rest (%zu B) nor B (%zu B): the region's tail",
              block_for(500) - block_for(200) - HEADER, block_for(300) - HEADER);
    cr_assert(eq(sz, fl_stats(&a).free_blocks, 3), "D's rest, B and the tail's rest stay free");
    fl_destroy(&a);
}

/* ---- coalescing ---- */

/* Three blocks of 100 B in a row and a fence after them, so that the region's tail stays
 * apart; then the three freed in `order`. The first `merged` of them should be one free
 * block, which a request of all its bytes takes; the tail is the only other one. */
static void free_in_order(const int order[], size_t nfree, size_t merged, const char *how)
{
    struct fl a;
    unsigned char *b[4], *p;
    size_t usable = merged * block_for(100) - HEADER;
    struct fl_stats s;

    setup(&a, REGION);
    for (int i = 0; i < 4; i++)
        b[i] = alloc_ok(&a, 100);
    for (size_t i = 0; i < nfree; i++)
        fl_free(&a, b[order[i]]);
    s = fl_stats(&a);
    cr_assert(eq(sz, s.free_blocks, 2), "%s: one merged block and the tail, saw %zu free blocks",
              how, s.free_blocks);
    p = alloc_ok(&a, usable);
    cr_assert(eq(ptr, p, b[0]), "%s: a request of the %zu merged bytes should take them", how,
              usable);
    fl_destroy(&a);
}

Test(freelist, a_freed_block_merges_with_a_free_block_after_it)
{
    free_in_order((int[]){1, 0}, 2, 2, "b0 freed after b1 (its next, free)");
}

Test(freelist, a_freed_block_merges_with_a_free_block_before_it)
{
    free_in_order((int[]){0, 1}, 2, 2, "b1 freed after b0 (its previous, found by its footer)");
}

Test(freelist, a_freed_block_merges_with_free_blocks_on_both_sides)
{
    free_in_order((int[]){0, 2, 1}, 3, 3, "b1 freed between b0 and b2");
}

Test(freelist, freeing_every_block_in_any_order_leaves_one_free_block)
{
    enum { N = 60 };
    struct fl a;
    unsigned char *p[N];
    size_t order[N];

    for (uint64_t seed = 1; seed <= 20; seed++) {
        setup(&a, REGION);
        for (size_t i = 0; i < N; i++) {
            p[i] = alloc_ok(&a, (size_t)(shuffle_rand(&(uint64_t){seed * 977 + i}) % 40));
            order[i] = i;
        }
        if (seed == 1) {
            /* in address order */
        } else if (seed == 2) {
            for (size_t i = 0; i < N; i++)
                order[i] = N - 1 - i; /* in reverse */
        } else {
            shuffle_indices(order, N, seed);
        }
        for (size_t i = 0; i < N; i++)
            fl_free(&a, p[order[i]]);
        end_all_free(&a, REGION, "after freeing every block");
    }
}

/* ---- fl_realloc ---- */

static void fill(unsigned char *p, size_t n, unsigned char seed)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (unsigned char)(seed + i);
}

static void assert_filled(const unsigned char *p, size_t n, unsigned char seed, const char *after)
{
    for (size_t i = 0; i < n; i++)
        cr_assert(eq(u8, p[i], (uint8_t)(seed + i)), "%s: byte %zu of %zu changed", after, i, n);
}

/* fl_realloc(p, n) and its checks: the bytes kept up to min(old, n), the block usable for
 * n, the blocks and the list sound. */
static unsigned char *realloc_ok(struct fl *a, unsigned char *p, size_t old, size_t n)
{
    unsigned char *q = fl_realloc(a, p, n);

    cr_assert(q != NULL, "fl_realloc(%zu -> %zu) returned NULL", old, n);
    cr_assert(eq(u64, (uintptr_t)q % ALIGN, 0));
    cr_assert(ge(sz, fl_usable_size(q), n));
    assert_filled(q, old < n ? old : n, 7, "fl_realloc");
    assert_sound(a, "after fl_realloc");
    return q;
}

Test(fl_realloc, of_null_takes_the_block_fl_alloc_would)
{
    struct fl a;
    unsigned char *p;
    size_t before;

    setup(&a, REGION);
    before = fl_stats(&a).free_bytes;
    p = fl_realloc(&a, NULL, 100);
    cr_assert(eq(ptr, p, region + ALIGN), "the first block of the region");
    assert_sound(&a, "after fl_realloc(NULL, 100)");
    cr_assert(eq(sz, before - fl_stats(&a).free_bytes, block_for(100)));
    fl_free(&a, p);
    end_all_free(&a, REGION, "after freeing it");
}

Test(fl_realloc, a_shrink_stays_in_place_and_its_tail_merges_with_the_free_block_after_it)
{
    struct fl a;
    unsigned char *p, *q;
    struct fl_stats before, after;

    setup(&a, REGION);
    p = alloc_ok(&a, 1000);
    fill(p, 1000, 7);
    before = fl_stats(&a);
    q = realloc_ok(&a, p, 1000, 100);
    after = fl_stats(&a);
    cr_assert(eq(ptr, q, p), "a shrink never moves the block");
    cr_assert(eq(sz, fl_usable_size(q), block_for(100) - HEADER), "the block is cut to size");
    cr_assert(eq(sz, after.free_blocks, 1), "the tail joined the region's free tail, saw %zu "
              "free blocks", after.free_blocks);
    cr_assert(eq(sz, after.free_bytes - before.free_bytes, block_for(1000) - block_for(100)));
    fl_free(&a, q);
    end_all_free(&a, REGION, "after freeing it");
}

Test(fl_realloc, a_shrink_before_a_block_in_use_splits_its_tail_off_as_a_free_block)
{
    struct fl a;
    unsigned char *p, *q, *fence, *tail;
    size_t rest = block_for(1000) - block_for(100);

    setup(&a, REGION);
    p = alloc_ok(&a, 1000);
    fence = alloc_ok(&a, 1);
    fill(p, 1000, 7);
    q = realloc_ok(&a, p, 1000, 100);
    cr_assert(eq(ptr, q, p));
    cr_assert(eq(sz, fl_stats(&a).free_blocks, 2), "the tail, and the region's tail");
    tail = alloc_ok(&a, rest - HEADER);
    cr_assert(eq(ptr, tail, p + block_for(100)),
              "the tail (%zu B) is a free block of its own right after the cut block", rest);
    fl_free(&a, tail);
    fl_free(&a, q);
    fl_free(&a, fence);
    end_all_free(&a, REGION, "after freeing them");
}

Test(fl_realloc, a_shrink_that_would_leave_less_than_a_minimal_block_keeps_the_block_whole)
{
    struct fl a;
    unsigned char *p, *q, *fence;
    size_t smaller = block_for(100) - HEADER - (MIN_BLOCK - ALIGN); /* one step of 16 less */
    struct fl_stats before, after;

    setup(&a, REGION);
    p = alloc_ok(&a, 100);
    fence = alloc_ok(&a, 1);
    fill(p, 100, 7);
    cr_assert(lt(sz, block_for(100) - block_for(smaller), MIN_BLOCK));
    before = fl_stats(&a);
    q = realloc_ok(&a, p, 100, smaller);
    after = fl_stats(&a);
    cr_assert(eq(ptr, q, p));
    cr_assert(eq(sz, fl_usable_size(q), block_for(100) - HEADER), "the %zu B tail stays in it",
              block_for(100) - block_for(smaller));
    cr_assert(eq(sz, after.free_bytes, before.free_bytes));
    cr_assert(eq(sz, after.free_blocks, before.free_blocks));
    (void)fence;
    fl_destroy(&a);
}

Test(fl_realloc, to_0_bytes_shrinks_to_a_minimal_block_in_place_and_does_not_free_it)
{
    struct fl a;
    unsigned char *p, *q, *fence;

    setup(&a, REGION);
    p = alloc_ok(&a, 100);
    fence = alloc_ok(&a, 1);
    q = realloc_ok(&a, p, 0, 0);
    cr_assert(eq(ptr, q, p), "n == 0: the same block, cut to a minimal one (not NULL: glibc's "
              "realloc(p, 0) frees p and returns NULL, so NULL would mean two things)");
    cr_assert(eq(sz, fl_usable_size(q), MIN_BLOCK - HEADER));
    cr_assert(eq(sz, fl_stats(&a).used_blocks, 2), "still in use: p and the fence");
    fl_free(&a, q);
    fl_free(&a, fence);
    end_all_free(&a, REGION, "after freeing both");
}

Test(fl_realloc, a_growth_takes_in_the_free_block_after_it_and_splits_off_the_rest)
{
    struct fl a;
    unsigned char *p, *q, *hole, *fence;
    struct fl_stats before, after;

    setup(&a, REGION);
    p = alloc_ok(&a, 100);
    hole = alloc_ok(&a, 300);
    fence = alloc_ok(&a, 1);
    fl_free(&a, hole);
    fill(p, 100, 7);
    before = fl_stats(&a);
    q = realloc_ok(&a, p, 100, 200);
    after = fl_stats(&a);
    cr_assert(eq(ptr, q, p), "the hole after it holds the growth: no move");
    cr_assert(eq(sz, fl_usable_size(q), block_for(200) - HEADER));
    cr_assert(eq(sz, after.free_blocks, 2), "the hole's rest, and the region's tail");
    cr_assert(eq(sz, before.free_bytes - after.free_bytes, block_for(200) - block_for(100)));
    cr_assert(eq(ptr, alloc_ok(&a, block_for(100) + block_for(300) - block_for(200) - HEADER),
                 p + block_for(200)), "the rest of the hole starts where the grown block ends");
    (void)fence;
    fl_destroy(&a);
}

Test(fl_realloc, a_growth_into_the_regions_free_tail_stays_in_place_every_time)
{
    struct fl a;
    unsigned char *p;
    size_t n = 16;

    setup(&a, REGION);
    p = alloc_ok(&a, n);
    fill(p, n, 7);
    for (; n + 64 <= REGION - EDGES - HEADER; n += 64) {
        unsigned char *q = realloc_ok(&a, p, n, n + 64);

        cr_assert(eq(ptr, q, p), "growing %zu -> %zu with the region free after it", n, n + 64);
        fill(q, n + 64, 7);
        cr_assert(eq(sz, fl_stats(&a).free_blocks,
                     REGION - EDGES - block_for(n + 64) >= MIN_BLOCK ? 1 : 0),
                  "the region's rest is a free block when it can hold one");
    }
    fl_free(&a, p);
    end_all_free(&a, REGION, "after freeing it");
}

Test(fl_realloc, a_growth_that_takes_all_of_the_free_block_after_it_leaves_no_rest)
{
    struct fl a;
    unsigned char *p, *q, *hole, *fence;
    size_t all = block_for(100) + block_for(40) - HEADER;

    setup(&a, REGION);
    p = alloc_ok(&a, 100);
    hole = alloc_ok(&a, 40);
    fence = alloc_ok(&a, 1);
    fl_free(&a, hole);
    fill(p, 100, 7);
    q = realloc_ok(&a, p, 100, all - ALIGN + 1); /* rounds up to the whole: the rest is 0 */
    cr_assert(eq(ptr, q, p));
    cr_assert(eq(sz, fl_usable_size(q), all), "the hole is all the block's now");
    cr_assert(eq(sz, fl_stats(&a).free_blocks, 1), "only the region's tail is free");
    fl_free(&a, fence);
    fl_free(&a, q);
    end_all_free(&a, REGION, "after freeing both");
}

Test(fl_realloc, a_growth_with_a_block_in_use_after_it_moves_copies_and_frees_the_old_block)
{
    struct fl a;
    unsigned char *p, *q, *fence;

    setup(&a, REGION);
    p = alloc_ok(&a, 100);
    fence = alloc_ok(&a, 1);
    fill(p, 100, 7);
    q = realloc_ok(&a, p, 100, 200);
    cr_assert(ne(ptr, q, p), "the fence is in the way: a new block");
    cr_assert(eq(ptr, q, fence + block_for(1)), "first fit: the region's tail");
    cr_assert(eq(sz, fl_stats(&a).used_blocks, 2), "the old block was freed");
    cr_assert(eq(ptr, alloc_ok(&a, 100), p), "and is the newest free block again");
    fl_destroy(&a);
}

Test(fl_realloc, a_growth_with_a_free_block_after_it_too_small_moves)
{
    struct fl a;
    unsigned char *p, *q, *hole, *fence;

    setup(&a, REGION);
    p = alloc_ok(&a, 100);
    hole = alloc_ok(&a, 1);
    fence = alloc_ok(&a, 1);
    fl_free(&a, hole);
    fill(p, 100, 7);
    cr_assert(gt(sz, block_for(200), block_for(100) + block_for(1)));
    q = realloc_ok(&a, p, 100, 200);
    cr_assert(ne(ptr, q, p));
    cr_assert(eq(sz, fl_stats(&a).free_blocks, 2),
              "the old block merged with the hole after it, and the region's tail");
    fl_free(&a, q);
    fl_free(&a, fence);
    end_all_free(&a, REGION, "after freeing both");
}

Test(fl_realloc, a_refused_growth_returns_null_with_enomem_and_leaves_the_block_and_its_bytes)
{
    struct fl a;
    unsigned char *p, *fence;
    size_t sizes[] = {REGION, REGION - 500, SIZE_MAX, SIZE_MAX - HEADER - ALIGN + 2};
    struct fl_stats before, after;

    setup(&a, REGION);
    p = alloc_ok(&a, 1000);
    fence = alloc_ok(&a, 1);
    fill(p, 1000, 7);
    before = fl_stats(&a);
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        errno = 0;
        cr_assert(eq(ptr, fl_realloc(&a, p, sizes[i]), NULL), "fl_realloc(%zu) should fail",
                  sizes[i]);
        cr_assert(eq(int, errno, ENOMEM));
        after = fl_stats(&a);
        cr_assert(eq(int, memcmp(&before, &after, sizeof before), 0),
                  "a refused fl_realloc(%zu) changed the region", sizes[i]);
        assert_filled(p, 1000, 7, "a refused fl_realloc");
        cr_assert(eq(sz, fl_usable_size(p), block_for(1000) - HEADER));
        assert_sound(&a, "after a refused fl_realloc");
    }
    fl_free(&a, p);
    fl_free(&a, fence);
    end_all_free(&a, REGION, "after freeing both");
}

Test(fl_realloc, of_a_freed_block_aborts_the_program, .signal = SIGABRT,
     .init = cr_redirect_stderr)
{
    struct fl a;
    void *p, *fence;

    setup(&a, REGION);
    p = alloc_ok(&a, 100);
    fence = alloc_ok(&a, 100);
    fl_free(&a, p);
    fl_realloc(&a, p, 200);
    (void)fence;
}

/* What ASan is told on a resize in place: exactly the new n bytes are open. */
Test(fl_realloc, in_the_asan_build_a_resize_in_place_opens_exactly_the_new_n_bytes, SANITIZER_ONLY)
{
#ifdef MEMDEBUG_ASAN
    struct fl a;
    unsigned char *p, *fence;

    setup(&a, REGION);
    p = alloc_ok(&a, 100);
    fence = alloc_ok(&a, 1);
    fill(p, 100, 7);
    cr_assert(eq(ptr, realloc_ok(&a, p, 100, 20), p));
    cr_assert(eq(ptr, __asan_region_is_poisoned(p, 20), NULL), "the 20 bytes kept are open");
    cr_assert(__asan_address_is_poisoned(p + 20), "byte 20, handed out before, is shut");
    cr_assert(__asan_address_is_poisoned(p + 99), "and so is the old last byte");
    fl_free(&a, fence);
    cr_assert(eq(ptr, realloc_ok(&a, p, 20, 150), p), "grown into the fence's free block");
    cr_assert(eq(ptr, __asan_region_is_poisoned(p, 150), NULL), "all 150 bytes are open");
    cr_assert(__asan_address_is_poisoned(p + 150), "byte 150 is not");
    fl_free(&a, p);
    fl_destroy(&a);
#else
    cr_fail("built without ASan: the declaration's SANITIZER_ONLY should have skipped this");
#endif
}

/* ---- fragmentation ---- */

Test(freelist, holes_of_every_other_block_refuse_a_request_their_free_bytes_would_hold)
{
    enum { MAX = 200 };
    struct fl a;
    unsigned char *p[MAX];
    size_t n = 0;
    struct fl_stats s;

    setup(&a, REGION);
    while (n < MAX && (p[n] = fl_alloc(&a, 40)) != NULL)
        n++;
    cr_assert(eq(sz, n, (REGION - EDGES) / block_for(40)), "the region filled with small blocks");
    for (size_t i = 0; i < n; i += 2)
        fl_free(&a, p[i]);
    s = fl_stats(&a);
    cr_assert(eq(sz, s.largest_free, block_for(40) - HEADER), "no two holes are neighbours");
    cr_assert(ge(sz, s.free_bytes, 100), "the holes hold %zu bytes in all", s.free_bytes);
    errno = 0;
    cr_assert(eq(ptr, fl_alloc(&a, 100), NULL), "no single hole holds 100 bytes");
    cr_assert(eq(int, errno, ENOMEM));
    for (size_t i = 1; i < n; i += 2)
        fl_free(&a, p[i]);
    assert_one_free_block(&a, REGION, "after the rest were freed");
    cr_assert(ne(ptr, fl_alloc(&a, 100), NULL), "merged, the same bytes serve the request");
    fl_destroy(&a);
}

/* ---- no hidden allocation ---- */

Test(freelist, init_alloc_realloc_free_stats_and_check_make_no_allocation)
{
    struct fl a;
    struct fl_stats s;
    void *p = NULL;
    const char *broken = "";

    ASSERT_NO_ALLOCS(fl_init(&a, region, REGION));
    ASSERT_NO_ALLOCS(p = fl_alloc(&a, 1000));
    cr_assert(p != NULL);
    ASSERT_NO_ALLOCS(s = fl_stats(&a));
    ASSERT_NO_ALLOCS(p = fl_realloc(&a, p, 2000)); /* in place */
    cr_assert(p != NULL);
    ASSERT_NO_ALLOCS(p = fl_realloc(&a, p, 10));
    cr_assert(p != NULL);
    ASSERT_NO_ALLOCS(broken = fl_check(&a));
    cr_assert(eq(ptr, (void *)broken, NULL));
    ASSERT_NO_ALLOCS(fl_free(&a, p));
    ASSERT_NO_ALLOCS(p = fl_alloc(&a, REGION)); /* refused */
    cr_assert(eq(ptr, p, NULL));
    ASSERT_NO_ALLOCS(fl_destroy(&a));
    (void)s;
}

/* ---- against a reference ---- */

struct live {
    unsigned char *p;
    size_t n;
    unsigned char fill;
};

static void assert_intact(const struct live *l, uint64_t step)
{
    for (size_t i = 0; i < l->n; i++)
        cr_assert(eq(u8, l->p[i], l->fill), "step %llu: a live block of %zu bytes lost byte %zu",
                  (unsigned long long)step, l->n, i);
}

Test(freelist, random_allocs_reallocs_and_frees_keep_every_live_blocks_bytes_and_the_stats_add_up)
{
    enum { STEPS = 20000, MAX_LIVE = 300 };
    static struct live live[MAX_LIVE];
    struct fl a;
    size_t nlive = 0, refused = 0, resized = 0;
    uint64_t seed = 42;

    setup(&a, sizeof region);
    for (uint64_t step = 0; step < STEPS; step++) {
        uint64_t r = shuffle_rand(&seed);

        if (nlive < MAX_LIVE && (nlive == 0 || r % 100 < 55)) {
            /* mostly small, sometimes up to 4 KiB */
            size_t n = (size_t)(r >> 8) % (r % 8 == 0 ? 4096 : 256);
            struct fl_stats before = fl_stats(&a);
            unsigned char *p = fl_alloc(&a, n);

            cr_assert(eq(int, p == NULL, before.free_blocks == 0 || before.largest_free < n),
                      "step %llu: fl_alloc(%zu) must fail exactly when no free block holds it "
                      "(the largest holds %zu)", (unsigned long long)step, n, before.largest_free);
            if (p == NULL) {
                refused++;
                continue;
            }
            cr_assert(eq(u64, (uintptr_t)p % ALIGN, 0));
            live[nlive] = (struct live){p, n, (unsigned char)(r >> 40)};
            memset(p, live[nlive].fill, n);
            nlive++;
        } else if (r % 100 < 75) {
            /* resize: a shrink stays in place; a growth never fails while a free block
             * holds it; a refusal keeps the block; the bytes survive up to min(old, n) */
            struct live *l = &live[(size_t)(r >> 16) % nlive];
            size_t n = (size_t)(r >> 24) % (r % 8 == 1 ? 4096 : 256);
            size_t usable = fl_usable_size(l->p);
            struct fl_stats before = fl_stats(&a);
            unsigned char *q;

            errno = 0;
            q = fl_realloc(&a, l->p, n);
            if (q == NULL) {
                cr_assert(lt(sz, before.largest_free, n), "step %llu: fl_realloc(%zu -> %zu) "
                          "refused though a free block holds %zu", (unsigned long long)step,
                          l->n, n, before.largest_free);
                cr_assert(eq(int, errno, ENOMEM));
                cr_assert(eq(sz, fl_usable_size(l->p), usable));
                assert_intact(l, step);
                refused++;
                continue;
            }
            if (n <= usable)
                cr_assert(eq(ptr, q, l->p), "step %llu: a shrink %zu -> %zu moved",
                          (unsigned long long)step, l->n, n);
            l->p = q;
            l->n = l->n < n ? l->n : n;
            assert_intact(l, step);
            l->n = n;
            memset(q, l->fill, n);
            resized++;
        } else {
            size_t k = (size_t)(r >> 16) % nlive;

            assert_intact(&live[k], step);
            fl_free(&a, live[k].p);
            live[k] = live[--nlive];
        }
        if (step % 64 == 0) {
            struct fl_stats s = fl_stats(&a);
            size_t usable = 0;

            for (size_t i = 0; i < nlive; i++) {
                assert_intact(&live[i], step);
                usable += fl_usable_size(live[i].p);
            }
            cr_assert(eq(sz, s.used_blocks, nlive));
            cr_assert(eq(sz, s.used_bytes, usable));
            assert_accounted(&s, sizeof region);
            assert_sound(&a, "in the random run");
        }
    }
    cr_assert(gt(sz, refused, 0), "the test should reach a full region now and then");
    cr_assert(gt(sz, resized, 0));
    while (nlive > 0) {
        assert_intact(&live[nlive - 1], STEPS);
        fl_free(&a, live[--nlive].p);
    }
    end_all_free(&a, sizeof region, "after the last free");
}

/* ---- make freelist-04's tour ---- */

static int sweep_tour(void *ctx)
{
    struct fltour t;

    (void)ctx;
    return fltour_run(&t);
}

Test(fltour, the_tour_makes_one_allocation_its_region_and_frees_it_whichever_fails)
{
    struct fltour t;
    int rc = -1;

    ASSERT_ALLOCS(rc = fltour_run(&t), 1, FLTOUR_REGION);
    cr_assert(eq(int, rc, 0));
    ASSERT_NO_LEAK(fltour_run(&t));
    ASSERT_SWEEP_CLEAN(sweep_tour, NULL);
}

Test(fltour, each_step_shows_what_the_readme_says)
{
    struct fltour t;

    cr_assert(eq(int, fltour_run(&t), 0));
    for (size_t i = 0; i < FLTOUR_COSTS; i++)
        cr_assert(eq(sz, t.cost_block[i], block_for(fltour_cost_requests[i])));
    cr_assert(eq(sz, t.split_block + t.rest_block, FLTOUR_REGION - EDGES), "the split halves");
    cr_assert(eq(sz, t.filled * t.small_block, FLTOUR_REGION - EDGES), "the small blocks fill it");
    cr_assert(t.holes_refuse, "the holes refuse fl_alloc(%d)", FLTOUR_BIG);
    cr_assert(ge(sz, t.at[FLTOUR_HOLES].free_bytes, FLTOUR_BIG));
    cr_assert(eq(sz, t.at[FLTOUR_MERGE3].largest_free, 3 * t.small_block - HEADER));
    cr_assert(t.merged_serves);
    cr_assert(eq(sz, t.at[FLTOUR_MERGED].free_bytes, t.at[FLTOUR_INIT].free_bytes));
    cr_assert(eq(sz, t.take_at, t.fit_at[3]), "first fit takes D");
    cr_assert(eq(sz, t.pass_at, t.tail_at), "then the tail");
}

Test(fltour, each_fl_realloc_step_takes_the_path_the_readme_names)
{
    struct fltour t;
    const struct fltour_resize *r = t.resize;

    cr_assert(eq(int, fltour_run(&t), 0));
    for (int s = 0; s < FLTOUR_RESIZES; s++) {
        cr_assert(r[s].kept, "step %d: the bytes kept up to min(old, new)", s);
        cr_assert(eq(int, r[s].same, s != FLTOUR_GROW_MOVE && s != FLTOUR_REFUSE),
                  "step %d: only the growth with the fence after it moves (and the refusal "
                  "returns NULL)", s);
        cr_assert(eq(int, r[s].refused, s == FLTOUR_REFUSE));
        cr_assert(eq(sz, r[s].block_after,
                     block_for(s == FLTOUR_REFUSE ? fltour_resize_to[s - 1] : fltour_resize_to[s])));
    }
    cr_assert(eq(sz, r[FLTOUR_SHRINK].block_before, block_for(FLTOUR_RESIZE_FROM)));
    cr_assert(eq(sz, r[FLTOUR_SHRINK].free_after, 1), "the tail merged with the free space");
    cr_assert(eq(sz, r[FLTOUR_GROW_NEXT].free_after, 1), "the growth took from the free space");
    cr_assert(eq(sz, r[FLTOUR_GROW_MOVE].free_after, 2), "the old block is a hole before the fence");
    cr_assert(eq(sz, r[FLTOUR_TO_ZERO].free_after, r[FLTOUR_TO_ZERO].free_before),
              "the cut tail merged with the free space after it");
}

static int sweep_growth(void *ctx)
{
    struct fltour_growth g;

    (void)ctx;
    return fltour_growth(&g);
}

/* realloc counts as one allocation of its n bytes (and one free): the region, then per
 * row a block of one step grown GROWTHS times, and in the second row a neighbour each. */
Test(fltour, the_growth_table_allocates_its_region_the_growths_and_the_neighbours_and_frees_them)
{
    struct fltour_growth g;
    size_t growths = 1, bytes = FLTOUR_STEP;
    int rc = -1;

    for (size_t i = 1; i <= FLTOUR_GROWTHS; i++) {
        growths++;
        bytes += FLTOUR_STEP * (i + 1);
    }
    ASSERT_ALLOCS(rc = fltour_growth(&g), 1 + 2 * growths + FLTOUR_GROWTHS,
                  FLTOUR_GROW_REGION + 2 * bytes + FLTOUR_GROWTHS * FLTOUR_NEIGHBOUR);
    cr_assert(eq(int, rc, 0));
    ASSERT_NO_LEAK(fltour_growth(&g));
    ASSERT_SWEEP_CLEAN(sweep_growth, NULL);
}

/* fl_realloc's rows follow from first fit, newest first. Alone, the block always has the
 * region's free space after it. With a neighbour before each growth: the first neighbour
 * goes right after the block, so the growth moves and leaves a hole at the head of the
 * list; the next neighbour takes the hole, and the growth after it stays in place, whose
 * split-off rest heads the list again: moves and growths in place alternate. glibc's rows
 * depend on its release (and under Valgrind or ASan, another allocator serves realloc):
 * only their sums are checked. */
Test(fltour, growing_in_place_or_moving_counts_every_growth_once)
{
    struct fltour_growth g;

    cr_assert(eq(int, fltour_growth(&g), 0));
    cr_assert(eq(sz, g.fl[0].in_place, FLTOUR_GROWTHS), "alone, fl_realloc never moves");
    cr_assert(eq(sz, g.fl[0].moved, 0));
    cr_assert(eq(sz, g.fl[1].moved, (FLTOUR_GROWTHS + 1) / 2), "every other growth moves");
    cr_assert(eq(sz, g.fl[1].in_place, FLTOUR_GROWTHS / 2));
    cr_assert(eq(sz, g.fl[1].behind, g.fl[1].in_place),
              "a growth stays in place exactly when its neighbour went below the block");
    for (int k = 0; k < 2; k++)
        cr_assert(eq(sz, g.libc[k].in_place + g.libc[k].moved, FLTOUR_GROWTHS));
}
