/* test_buddy.c: the buddy allocator (buddy.h) and make buddy-04's tour (bdtour.h). Every
 * count is worked out here from K, MIN and the requests: the splits of a request and the
 * merges of a free, the blocks of a region filled with the smallest ones, the block each
 * request takes in the buddy allocator, the free list and glibc (and glibc's own chunks
 * against the rule), the two cases of external fragmentation; the one malloc of
 * buddy_init and its OOM sweep; misuse that aborts; make buddy-04's bad arguments; and the
 * shape of the kernel's own buddy allocator's report, /proc/buddyinfo. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <criterion/redirect.h>

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "alloc_assert.h"
#include "bdtour.h"
#include "buddy.h"
#include "cli_assert.h"
#include "freelist.h"
#include "platform.h"
#include "shuffle.h"

#define K 12
#define MIN 4
#define REGION ((size_t)1 << K)
#define SMALL ((size_t)1 << MIN)

/* The (K, MIN) pairs the counting tests run on: the demo's, the smallest, a larger one. */
static const unsigned pairs[][2] = {{K, MIN}, {7, 4}, {16, 5}, {10, 6}};
#define PAIRS (sizeof pairs / sizeof pairs[0])

/* The block a request takes: the smallest power of two that holds it, at least 2^min. */
static size_t buddy_rule(size_t n, unsigned min)
{
    size_t b = (size_t)1 << min;

    while (b < n)
        b *= 2;
    return b;
}

/* glibc's chunk (its request2size on x86-64) and the free list's block: n and an 8-byte
 * size field, rounded up to 16, at least a free chunk's 32 bytes. */
static size_t chunk_rule(size_t n)
{
    size_t c = (n + sizeof(size_t) + 15) / 16 * 16;

    return c < 32 ? 32 : c;
}

static void setup(struct buddy *b, unsigned k, unsigned min)
{
    cr_assert(eq(int, buddy_init(b, k, min), 0), "buddy_init(%u, %u)", k, min);
}

static void *alloc_ok(struct buddy *b, size_t n)
{
    void *p = buddy_alloc(b, n);

    cr_assert(p != NULL, "buddy_alloc(%zu) returned NULL", n);
    return p;
}

static void assert_sound(const struct buddy *b, const char *after)
{
    const char *broken = buddy_check(b);

    cr_assert(broken == NULL, "%s: %s", after, broken);
}

/* Everything free: one free block of order k, nothing else. */
static void assert_one_free_block(const struct buddy *b, const char *after)
{
    struct buddy_stats s = buddy_stats(b);

    assert_sound(b, after);
    cr_assert(eq(sz, s.free_blocks, 1), "%s: %zu free blocks, expected one (all merged)", after,
              s.free_blocks);
    cr_assert(eq(sz, s.largest_free, (size_t)1 << b->k), "%s: the free block is the region", after);
    cr_assert(eq(sz, s.used_blocks, 0));
    cr_assert(eq(u64, s.splits, s.merges), "%s: every split undone by a merge", after);
}

/* ---- the region ---- */

Test(buddy, init_makes_one_malloc_of_the_region_and_its_side_table_and_alloc_and_free_make_none)
{
    struct buddy b;
    struct buddy_stats s;
    struct countalloc_stats d;
    void *p = NULL, *q = NULL;
    const char *broken = "";
    int rc = -1;

    ASSERT_ALLOCS(rc = buddy_init(&b, K, MIN), 1, REGION + REGION / SMALL);
    cr_assert(eq(int, rc, 0));
    cr_assert(eq(sz, buddy_init_bytes(K, MIN), REGION + REGION / SMALL),
              "2^K and a byte per 2^MIN");
    ASSERT_NO_ALLOCS(p = buddy_alloc(&b, 1));
    ASSERT_NO_ALLOCS(q = buddy_alloc(&b, REGION / 2));
    cr_assert(p != NULL && q != NULL);
    ASSERT_NO_ALLOCS(s = buddy_stats(&b));
    ASSERT_NO_ALLOCS(broken = buddy_check(&b));
    cr_assert(eq(ptr, (void *)broken, NULL));
    ASSERT_NO_ALLOCS(buddy_free(&b, p));
    ASSERT_NO_ALLOCS(buddy_free(&b, q));
    ASSERT_NO_ALLOCS(p = buddy_alloc(&b, REGION + 1)); /* refused */
    cr_assert(eq(ptr, p, NULL));
    ALLOC_MEASURE(buddy_destroy(&b), d);
    cr_assert(eq(u64, d.frees, 1), "buddy_destroy frees the one block");
    cr_assert(eq(i64, d.heap_alloc, -(int64_t)(REGION + REGION / SMALL)));
    (void)s;
}

Test(buddy, a_fresh_region_is_one_free_block_of_order_k)
{
    for (size_t i = 0; i < PAIRS; i++) {
        struct buddy b;

        setup(&b, pairs[i][0], pairs[i][1]);
        assert_one_free_block(&b, "fresh");
        cr_assert(eq(sz, b.free_count[pairs[i][0]], 1));
        cr_assert(eq(u64, b.splits, 0));
        buddy_destroy(&b);
    }
}

Test(buddy, init_refuses_orders_out_of_range_with_einval_before_any_allocation)
{
    static const unsigned bad[][2] = {
        {K, BUDDY_MIN_ORDER - 1}, /* a free block could not hold its links */
        {BUDDY_MAX_ORDER + 1, MIN},
        {MIN - 1, MIN},
    };
    struct buddy b;
    int rc = 0;

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        errno = 0;
        ASSERT_NO_ALLOCS(rc = buddy_init(&b, bad[i][0], bad[i][1]));
        cr_assert(eq(int, rc, -1), "buddy_init(%u, %u)", bad[i][0], bad[i][1]);
        cr_assert(eq(int, errno, EINVAL));
        cr_assert(eq(ptr, b.region, NULL), "nothing held");
    }
    setup(&b, MIN, MIN); /* a region of one block of the smallest order */
    cr_assert(eq(ptr, buddy_alloc(&b, 2 * SMALL), NULL));
    buddy_free(&b, alloc_ok(&b, SMALL));
    assert_one_free_block(&b, "k == min");
    buddy_destroy(&b);
}

static int init_job(void *ctx)
{
    struct buddy b;
    void *p;

    (void)ctx;
    if (buddy_init(&b, K, MIN) != 0) {
        cr_assert(eq(int, errno, ENOMEM));
        cr_assert(eq(ptr, b.region, NULL), "a failed init holds nothing");
        return -1;
    }
    p = buddy_alloc(&b, 100);
    buddy_free(&b, p);
    buddy_destroy(&b);
    return 0;
}

Test(buddy_oom, init_reports_a_failure_and_holds_nothing)
{
    ASSERT_SWEEP_CLEAN(init_job, NULL);
}

/* ---- the rounding ---- */

Test(buddy, a_request_takes_the_smallest_power_of_two_that_holds_it_and_at_least_2_to_the_min)
{
    struct buddy b;

    setup(&b, K, MIN);
    for (size_t n = 0; n <= REGION; n++) {
        void *p = alloc_ok(&b, n);

        cr_assert(eq(sz, buddy_stats(&b).used_bytes, buddy_rule(n, MIN)),
                  "buddy_alloc(%zu) should take a block of %zu bytes, took %zu", n,
                  buddy_rule(n, MIN), buddy_stats(&b).used_bytes);
        cr_assert(eq(sz, buddy_usable_size(&b, p), buddy_rule(n, MIN)));
        cr_assert(eq(sz, buddy_block_size(&b, n), buddy_rule(n, MIN)));
        buddy_free(&b, p);
    }
    errno = 0;
    cr_assert(eq(ptr, buddy_alloc(&b, REGION + 1), NULL), "larger than the region");
    cr_assert(eq(int, errno, ENOMEM));
    cr_assert(eq(sz, buddy_block_size(&b, REGION + 1), 0));
    cr_assert(eq(ptr, buddy_alloc(&b, SIZE_MAX), NULL));
    assert_one_free_block(&b, "after every size");
    buddy_destroy(&b);
}

Test(buddy, every_block_lies_at_a_multiple_of_its_size_and_holds_its_bytes_untouched)
{
    enum { COUNT = 40 };
    struct buddy b;
    unsigned char *p[COUNT];
    size_t n[COUNT];
    uint64_t seed = 7;

    setup(&b, 16, MIN);
    for (size_t i = 0; i < COUNT; i++) {
        n[i] = (size_t)(shuffle_rand(&seed) % 1500);
        p[i] = alloc_ok(&b, n[i]);
        cr_assert(eq(sz, (size_t)(p[i] - (unsigned char *)b.region) % buddy_rule(n[i], MIN), 0),
                  "a block of %zu at +%zu", buddy_rule(n[i], MIN),
                  (size_t)(p[i] - (unsigned char *)b.region));
        cr_assert(eq(u64, (uintptr_t)p[i] % 16, 0), "16-byte aligned, as malloc's");
        memset(p[i], (int)i, n[i]);
    }
    for (size_t i = 0; i < COUNT; i++)
        for (size_t j = 0; j < n[i]; j++)
            cr_assert(eq(u8, p[i][j], (uint8_t)i), "block %zu, byte %zu was overwritten", i, j);
    for (size_t i = 0; i < COUNT; i++)
        buddy_free(&b, p[i]);
    assert_one_free_block(&b, "after every block was freed");
    buddy_destroy(&b);
}

/* ---- splits and merges ---- */

Test(buddy, a_block_of_order_o_from_a_fresh_region_costs_k_minus_o_splits_and_its_free_as_many_merges)
{
    for (size_t i = 0; i < PAIRS; i++) {
        unsigned k = pairs[i][0], min = pairs[i][1];
        struct buddy b;

        setup(&b, k, min);
        for (unsigned o = min; o <= k; o++) {
            uint64_t splits = b.splits, merges = b.merges;
            void *p = alloc_ok(&b, (size_t)1 << o);

            cr_assert(eq(u64, b.splits - splits, k - o), "k %u, min %u: a block of order %u "
                      "takes %u splits from one free block of order k", k, min, o, k - o);
            for (unsigned j = o; j < k; j++)
                cr_assert(eq(sz, b.free_count[j], 1), "each split left one free block of "
                          "order %u", j);
            buddy_free(&b, p);
            cr_assert(eq(u64, b.merges - merges, k - o), "k %u, min %u: its free merges %u "
                      "times, back to order k", k, min, k - o);
            assert_one_free_block(&b, "after the free");
        }
        buddy_destroy(&b);
    }
}

/* The tour's sequence: A (1 byte) and B (2^min) are buddies, C (2^(min+1)) and D (2^(k-1))
 * take the free blocks A's splits left. */
Test(buddy, a_sequence_splits_and_merges_as_k_and_min_say)
{
    for (size_t i = 0; i < PAIRS; i++) {
        unsigned k = pairs[i][0], min = pairs[i][1];
        const uint64_t splits[4] = {k - min, 0, 0, 0};
        const uint64_t merges[4] = {0, 1, k - min - 2, 1};
        struct buddy b;
        void *p[4];

        setup(&b, k, min);
        for (int s = 0; s < 4; s++) {
            uint64_t before = b.splits;

            p[s] = alloc_ok(&b, bdtour_request(BDTOUR_A + s, k, min));
            cr_assert(eq(u64, b.splits - before, splits[s]), "k %u, min %u: request %c split "
                      "%llu times, expected %llu", k, min, 'A' + s,
                      (unsigned long long)(b.splits - before), (unsigned long long)splits[s]);
        }
        cr_assert(eq(sz, (size_t)((char *)p[1] - (char *)p[0]), (size_t)1 << min),
                  "B is A's buddy, just after it");
        for (int s = 0; s < 4; s++) {
            uint64_t before = b.merges;

            buddy_free(&b, p[s]);
            cr_assert(eq(u64, b.merges - before, merges[s]), "k %u, min %u: freeing %c merged "
                      "%llu times, expected %llu", k, min, 'A' + s,
                      (unsigned long long)(b.merges - before), (unsigned long long)merges[s]);
            assert_sound(&b, "during the frees");
        }
        assert_one_free_block(&b, "after the sequence");
        cr_assert(eq(u64, b.splits, k - min), "k - min splits in all");
        buddy_destroy(&b);
    }
}

Test(bdtour, the_sequence_the_demo_prints_is_the_one_worked_out)
{
    for (size_t i = 0; i < PAIRS; i++) {
        unsigned k = pairs[i][0], min = pairs[i][1];
        const uint64_t merges[4] = {0, 1, k - min - 2, 1};
        struct bdtour t;

        if (k < 8)
            continue; /* below the demo's range */
        cr_assert(eq(int, bdtour_run(&t, k, min), 0));
        cr_assert(eq(u64, t.at[BDTOUR_A].splits, k - min));
        cr_assert(eq(sz, t.at[BDTOUR_A].block, (size_t)1 << min));
        for (unsigned o = min; o < k; o++)
            cr_assert(eq(sz, t.at[BDTOUR_A].free_count[o], 1), "one free block of each order below k");
        cr_assert(eq(sz, t.at[BDTOUR_D].block, (size_t)1 << (k - 1)));
        cr_assert(eq(sz, t.at[BDTOUR_D].at, (size_t)1 << (k - 1)), "D is the upper half");
        for (int s = 0; s < 4; s++)
            cr_assert(eq(u64, t.at[BDTOUR_FREE_A + s].merges, merges[s]));
        cr_assert(eq(sz, t.at[BDTOUR_FREE_D].free_count[k], 1));
    }
}

/* ---- external fragmentation ---- */

Test(buddy, every_other_smallest_block_freed_leaves_half_the_region_free_and_refuses_two_of_them)
{
    for (size_t i = 0; i < PAIRS; i++) {
        unsigned k = pairs[i][0], min = pairs[i][1];
        size_t region = (size_t)1 << k, small = (size_t)1 << min, count = region / small, filled = 0;
        struct buddy b;
        struct buddy_stats s;
        uint64_t merges;

        setup(&b, k, min);
        while (buddy_alloc(&b, small) != NULL)
            filled++;
        cr_assert(eq(sz, filled, count), "2^(k - min) blocks fill the region");
        cr_assert(eq(u64, b.splits, count - 1), "one split per block but the first: %zu", count - 1);
        for (size_t off = 0; off < region; off += 2 * small)
            buddy_free(&b, b.region + off);
        s = buddy_stats(&b);
        cr_assert(eq(u64, s.merges, 0), "no freed block's buddy is free");
        cr_assert(eq(sz, s.free_bytes, region / 2), "half the region is free");
        cr_assert(eq(sz, s.largest_free, small));
        errno = 0;
        cr_assert(eq(ptr, buddy_alloc(&b, 2 * small), NULL), "k %u, min %u: no block of two", k, min);
        cr_assert(eq(int, errno, ENOMEM));
        merges = b.merges;
        for (size_t off = small; off < region; off += 2 * small)
            buddy_free(&b, b.region + off);
        cr_assert(eq(u64, b.merges - merges, count - 1), "the rest freed: every pair merges up "
                  "the tree, %zu merges", count - 1);
        assert_one_free_block(&b, "after the rest");
        buddy_destroy(&b);
    }
}

/* Four quarters; the 2nd and 3rd freed lie side by side, but the 2nd's buddy is the 1st
 * and the 3rd's the 4th. The free list merges any two free neighbours. */
Test(buddy, free_neighbours_that_are_not_buddies_stay_apart_where_the_free_list_merges_them)
{
    static _Alignas(max_align_t) unsigned char fl_region[REGION + 32];
    const size_t q = REGION / 4;
    struct buddy b;
    struct fl fl;
    char *p[4];
    void *f[4], *got;

    setup(&b, K, MIN);
    for (int i = 0; i < 4; i++)
        p[i] = alloc_ok(&b, q);
    for (int i = 0; i < 4; i++)
        cr_assert(eq(ptr, p[i], b.region + (size_t)i * q), "the quarters in address order");
    buddy_free(&b, p[1]);
    buddy_free(&b, p[2]);
    cr_assert(eq(u64, b.merges, 0));
    cr_assert(eq(sz, buddy_stats(&b).free_bytes, 2 * q));
    cr_assert(eq(sz, buddy_stats(&b).largest_free, q));
    errno = 0;
    cr_assert(eq(ptr, buddy_alloc(&b, 2 * q), NULL), "two free quarters side by side, no half");
    cr_assert(eq(int, errno, ENOMEM));
    buddy_free(&b, p[0]);
    cr_assert(eq(u64, b.merges, 1), "the 1st merges with its buddy, the 2nd");
    got = alloc_ok(&b, 2 * q);
    cr_assert(eq(ptr, got, b.region), "the merged half");
    buddy_free(&b, got);
    buddy_free(&b, p[3]);
    assert_one_free_block(&b, "after all four");
    buddy_destroy(&b);

    cr_assert(eq(int, fl_init(&fl, fl_region, sizeof fl_region), 0));
    for (int i = 0; i < 4; i++)
        f[i] = fl_alloc(&fl, q - sizeof(size_t));
    fl_free(&fl, f[1]);
    fl_free(&fl, f[2]);
    cr_assert(eq(sz, fl_stats(&fl).largest_free, 2 * q - sizeof(size_t)),
              "the free list merged them: one block of both, less one header");
    cr_assert(ne(ptr, fl_alloc(&fl, 2 * q - sizeof(size_t)), NULL));
    fl_destroy(&fl);
}

Test(bdtour, the_fragmentation_the_demo_prints_is_the_one_worked_out)
{
    struct bdtour t;
    size_t count = REGION / SMALL;

    cr_assert(eq(int, bdtour_run(&t, K, MIN), 0));
    cr_assert(eq(sz, t.filled, count));
    cr_assert(eq(u64, t.fill_splits, count - 1));
    cr_assert(eq(sz, t.holes.free_bytes, REGION / 2));
    cr_assert(eq(sz, t.holes.free_blocks, count / 2));
    cr_assert(eq(sz, t.holes.largest_free, SMALL));
    cr_assert(t.holes_refuse);
    cr_assert(eq(u64, t.rest_merges, count - 1));
    cr_assert(eq(sz, t.rest.free_blocks, 1));
    cr_assert(t.side_by_side);
    cr_assert(eq(sz, t.pair.free_bytes, REGION / 2));
    cr_assert(eq(sz, t.pair.largest_free, REGION / 4));
    cr_assert(t.pair_refuses);
    cr_assert(eq(u64, t.first_merges, 1));
    cr_assert(t.first_serves);
    cr_assert(eq(sz, t.fl_pair_largest, REGION / 2 - sizeof(size_t)));
    cr_assert(t.fl_serves);
}

/* ---- internal fragmentation ---- */

struct sums {
    uint64_t asked, handed;
    size_t most_wasted, wasted_at, worst_block, worst_at;
};

static struct sums sums_of(size_t (*rule)(size_t, unsigned), unsigned min, size_t top)
{
    struct sums s = {0};

    for (size_t n = 1; n <= top; n++) {
        size_t block = rule(n, min);

        s.asked += n;
        s.handed += block;
        if (block - n > s.most_wasted) {
            s.most_wasted = block - n;
            s.wasted_at = n;
        }
        if (n >= BDTOUR_PAST && (s.worst_at == 0 || (double)block / (double)n >
                                                        (double)s.worst_block / (double)s.worst_at)) {
            s.worst_block = block;
            s.worst_at = n;
        }
    }
    return s;
}

static size_t chunk_rule_2(size_t n, unsigned min)
{
    (void)min;
    return chunk_rule(n);
}

static void assert_waste(const struct bdtour_waste *w, const struct sums *s, const char *who)
{
    cr_assert(eq(u64, w->asked, s->asked), "%s: bytes asked", who);
    cr_assert(eq(u64, w->handed, s->handed), "%s: bytes handed out: %llu, the rule says %llu",
              who, (unsigned long long)w->handed, (unsigned long long)s->handed);
    cr_assert(eq(sz, w->most_wasted, s->most_wasted), "%s: the most unused in one block", who);
    cr_assert(eq(sz, w->wasted_at, s->wasted_at), "%s: at the request", who);
    cr_assert(eq(sz, w->worst_block, s->worst_block), "%s: the worst block per byte", who);
    cr_assert(eq(sz, w->worst_at, s->worst_at), "%s: at the request", who);
}

Test(bdtour, every_request_takes_the_block_the_rules_say_in_each_allocator)
{
    struct bdtour t;
    struct sums buddy = sums_of(buddy_rule, MIN, REGION), chunk = sums_of(chunk_rule_2, MIN, REGION);

    cr_assert(eq(int, bdtour_run(&t, K, MIN), 0));
    assert_waste(&t.waste[BDTOUR_BUDDY], &buddy, "buddy");
    assert_waste(&t.waste[BDTOUR_FL], &chunk, "free list");
    assert_waste(&t.waste[BDTOUR_GLIBC], &chunk, "glibc");
    for (size_t r = 0; r < BDTOUR_ROWS; r++) {
        cr_assert(eq(sz, t.waste[BDTOUR_BUDDY].row_block[r], buddy_rule(bdtour_rows[r], MIN)));
        cr_assert(eq(sz, t.waste[BDTOUR_FL].row_block[r], chunk_rule(bdtour_rows[r])));
    }
    /* what the README says of them */
    cr_assert(eq(sz, buddy.wasted_at, REGION / 2 + 1), "the buddy's worst is 2^(k-1) + 1");
    cr_assert(eq(sz, buddy.most_wasted, REGION / 2 - 1));
    cr_assert(eq(sz, chunk.wasted_at, 1), "glibc's is a 1-byte request's 32-byte chunk");
    cr_assert(gt(u64, 300 * buddy.handed, 396 * buddy.asked), "about 4/3 bytes per byte asked");
    cr_assert(lt(u64, 300 * buddy.handed, 404 * buddy.asked), "about 4/3 bytes per byte asked");
    cr_assert(lt(u64, 100 * chunk.handed, 101 * chunk.asked), "glibc's: under 1%% more");
}

Test(bdtour, the_free_list_rounds_as_glibc_does)
{
    for (size_t n = 0; n <= 2 * REGION; n++)
        cr_assert(eq(sz, fl_block_size(n), n == 0 ? 32 : chunk_rule(n)), "n = %zu", n);
}

/* glibc's own chunk for every request the tour makes, against the rule: its size field,
 * 8 bytes before the pointer. glibc 2.36 (Debian 12) and 2.41 (Debian 13) both. */
Test(bdtour, glibcs_own_chunks_are_the_rule_for_every_request_up_to_2_to_the_k, GLIBC_MALLOC_ONLY)
{
    ASSERT_DECLARED_NATIVE(NATIVE_SKIP_VALGRIND | NATIVE_SKIP_SANITIZER);
    for (size_t n = 1; n <= REGION; n++) {
        void *p = __libc_malloc(n);

        cr_assert(p != NULL);
        cr_assert(eq(sz, platform_chunk_of(p).size, chunk_rule(n)),
                  "glibc %s: malloc(%zu) took a chunk of %zu, the rule says %zu",
                  platform_glibc_at_least(2, 41) ? "2.41" : "2.36", n,
                  platform_chunk_of(p).size, chunk_rule(n));
        __libc_free(p);
    }
}

/* ---- misuse ---- */

Test(buddy, freeing_a_pointer_outside_the_region_aborts, .signal = SIGABRT,
     .init = cr_redirect_stderr)
{
    static char elsewhere[64];
    struct buddy b;

    setup(&b, K, MIN);
    buddy_free(&b, elsewhere);
}

Test(buddy, a_block_freed_twice_aborts, .signal = SIGABRT, .init = cr_redirect_stderr)
{
    struct buddy b;
    void *p, *fence;

    setup(&b, K, MIN);
    p = alloc_ok(&b, 100);
    fence = alloc_ok(&b, 100); /* p's buddy: p stays a block of its own once freed */
    buddy_free(&b, p);
    buddy_free(&b, p);
    (void)fence;
}

Test(buddy, freeing_a_pointer_inside_a_block_aborts, .signal = SIGABRT, .init = cr_redirect_stderr)
{
    struct buddy b;
    char *p;

    setup(&b, K, MIN);
    p = alloc_ok(&b, 100);
    buddy_free(&b, p + SMALL);
}

/* What ASan is told (common/memdebug.h): exactly the n bytes handed out are open. */
Test(buddy, in_the_asan_build_only_the_n_bytes_handed_out_are_addressable, SANITIZER_ONLY)
{
#ifdef MEMDEBUG_ASAN
    struct buddy b;
    unsigned char *p, *fence;

    setup(&b, K, MIN);
    p = alloc_ok(&b, 20);
    fence = alloc_ok(&b, 1);
    cr_assert(eq(ptr, __asan_region_is_poisoned(p, 20), NULL), "the 20 bytes asked for are open");
    cr_assert(__asan_address_is_poisoned(p + 20), "the block's 12 spare bytes are not");
    cr_assert(__asan_address_is_poisoned(b.region + REGION / 2), "nor is a free block's inside");
    cr_assert(eq(ptr, __asan_region_is_poisoned(b.order_of, REGION / SMALL), NULL),
              "the side table is open");
    buddy_free(&b, p);
    cr_assert(__asan_address_is_poisoned(p), "a freed block is poisoned, links included");
    (void)fence;
    buddy_destroy(&b);
#else
    cr_fail("built without ASan: the declaration's SANITIZER_ONLY should have skipped this");
#endif
}

Test(buddy, freeing_null_does_nothing)
{
    struct buddy b;

    setup(&b, K, MIN);
    buddy_free(&b, NULL);
    assert_one_free_block(&b, "after buddy_free(NULL)");
    buddy_destroy(&b);
}

/* ---- against a reference ---- */

struct live {
    unsigned char *p;
    size_t n;
    unsigned char fill;
};

Test(buddy, random_allocs_and_frees_keep_every_block_and_refuse_only_when_no_free_block_is_large_enough)
{
    enum { MAX_LIVE = 200 };
    static struct live live[MAX_LIVE];
    const unsigned steps = RUNNING_ON_VALGRIND ? 600 : 5000;
    struct buddy b;
    size_t nlive = 0, refused = 0;
    uint64_t seed = 42;

    setup(&b, 14, MIN);
    for (unsigned step = 0; step < steps; step++) {
        uint64_t r = shuffle_rand(&seed);

        if (nlive < MAX_LIVE && (nlive == 0 || r % 100 < 55)) {
            size_t n = (size_t)(r >> 8) % (r % 8 == 0 ? 4096 : 300);
            size_t largest = buddy_stats(&b).largest_free;
            unsigned char *p = buddy_alloc(&b, n);

            cr_assert(eq(int, p == NULL, largest < buddy_rule(n, MIN)), "step %u: buddy_alloc(%zu) "
                      "must fail exactly when no free block holds %zu (the largest holds %zu)",
                      step, n, buddy_rule(n, MIN), largest);
            if (p == NULL) {
                refused++;
                continue;
            }
            live[nlive] = (struct live){p, n, (unsigned char)(r >> 40)};
            memset(p, live[nlive].fill, n);
            nlive++;
        } else {
            size_t k = (size_t)(r >> 16) % nlive;

            for (size_t i = 0; i < live[k].n; i++)
                cr_assert(eq(u8, live[k].p[i], live[k].fill), "step %u: a block lost byte %zu", step, i);
            buddy_free(&b, live[k].p);
            live[k] = live[--nlive];
        }
        if (step % 32 == 0)
            assert_sound(&b, "in the random run");
    }
    cr_assert(gt(sz, refused, 0), "the run should fill the region now and then");
    while (nlive > 0)
        buddy_free(&b, live[--nlive].p);
    assert_one_free_block(&b, "after the last free");
    buddy_destroy(&b);
}

/* ---- make buddy-04 ---- */

static int sweep_tour(void *ctx)
{
    struct bdtour t;

    (void)ctx;
    return bdtour_run(&t, K, MIN);
}

Test(bdtour, the_tour_mallocs_the_two_regions_and_frees_both_whichever_fails)
{
    struct bdtour t;
    int rc = -1;

    ASSERT_ALLOCS(rc = bdtour_run(&t, K, MIN), 2, buddy_init_bytes(K, MIN) + 2 * REGION + 32);
    cr_assert(eq(int, rc, 0));
    ASSERT_NO_LEAK(bdtour_run(&t, K, MIN));
    ASSERT_SWEEP_CLEAN(sweep_tour, NULL);
    errno = 0;
    ASSERT_NO_ALLOCS(rc = bdtour_run(&t, 9, 7)); /* min + 3 > k */
    cr_assert(eq(int, rc, -1));
    cr_assert(eq(int, errno, EINVAL));
}

Test(buddy_demo, bad_arguments_get_one_line_naming_the_argument_and_status_2)
{
    static const char *const bad_k[] = {"7", "21", "abc", "-5", "99999999999999999999", "1x"};
    static const char *const bad_min[] = {"12 3", "12 10", "8 6", "12 x"};
    static const char *const bad_usage[] = {"12 4 5", "--bogus"};

    ASSERT_BAD_ARGUMENTS("demo/buddy", "buddy: K must be", bad_k);
    ASSERT_BAD_ARGUMENTS("demo/buddy", "buddy: MIN must be", bad_min);
    ASSERT_BAD_ARGUMENTS("demo/buddy", "buddy: ", bad_usage);
}

Test(buddy_demo, a_run_at_the_range_s_edges_frees_everything)
{
    cli_assert_frees_everything("demo/buddy", "8 5");
}

/* ---- Linux's own buddy allocator ---- */

/* /proc/buddyinfo: a line per memory zone, "Node N, zone NAME" and then the free blocks of
 * each order, from one page up. Its counts change from moment to moment: the shape only. */
Test(buddyinfo, the_kernel_lists_its_free_blocks_per_order_per_zone)
{
    FILE *f = fopen("/proc/buddyinfo", "r");
    char line[512];
    size_t zones = 0;

    if (f == NULL)
        cr_skip_test("no /proc/buddyinfo here (%s)", strerror(errno));
    while (fgets(line, sizeof line, f) != NULL) {
        int node, at = 0, orders = 0;
        char zone[32];
        const char *c;
        unsigned long long count;

        cr_assert(eq(int, sscanf(line, "Node %d, zone %31s%n", &node, zone, &at), 2),
                  "a line that is not \"Node N, zone NAME ...\": %s", line);
        for (c = line + at; sscanf(c, "%llu%n", &count, &at) == 1; c += at)
            orders++;
        cr_assert(ge(int, orders, 10), "zone %s: %d orders, expected 11 (order 0 to 10)", zone, orders);
        zones++;
    }
    fclose(f);
    cr_assert(gt(sz, zones, 0));
}
