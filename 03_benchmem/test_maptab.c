/* test_maptab.c: the hash table of maptab.h grown by doubling against one made with a
 * size hint: every key found both ways, the allocations, bytes and peak worked out from N
 * and the growth rule, failures that leave the table as it was, and the demo's bad
 * arguments. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "alloc_assert.h"
#include "cli_assert.h"
#include "countalloc.h"
#include "maptab.h"

#define SLOT sizeof(struct maptab_slot)

/* What a table grown from empty to n keys must have allocated, worked out from the rule:
 * one array of every size from MAPTAB_MIN_SLOTS up to cap (a calloc each), and at its
 * highest the last growth's old array and new array together. */
struct cost {
    uint64_t allocs, bytes;
    int64_t peak;
};

static struct cost grown_cost(size_t n)
{
    struct cost c = {0, 0, 0};
    size_t cap = maptab_slots_for(n);

    for (size_t s = MAPTAB_MIN_SLOTS; n > 0 && s <= cap; s *= 2) {
        c.allocs++;
        c.bytes += s * SLOT;
    }
    c.peak = (int64_t)((cap > MAPTAB_MIN_SLOTS ? cap + cap / 2 : cap) * SLOT);
    return c;
}

static struct cost hinted_cost(size_t n)
{
    size_t cap = maptab_slots_for(n);

    return (struct cost){1, cap * SLOT, (int64_t)(cap * SLOT)};
}

static void assert_holds(const struct maptab *t, size_t n, const char *how)
{
    uint64_t v;

    cr_assert(eq(sz, t->count, n), "%s: %zu keys", how, n);
    for (size_t i = 1; i <= n; i++) {
        cr_assert(maptab_get(t, maptab_key(i), &v), "%s: key %zu lost", how, i);
        cr_assert(eq(u64, v, i), "%s: key %zu's value", how, i);
    }
    cr_assert(not(maptab_get(t, maptab_key(n + 1), NULL)), "%s: a key never put", how);
}

/* ---- the table ---- */

Test(maptab, a_key_put_is_found_with_its_value_and_a_second_put_replaces_it)
{
    struct maptab t = MAPTAB_INIT;
    uint64_t v = 0;
    struct countalloc_stats start;

    countalloc_measure_begin(&start);
    bool found;

    ASSERT_NO_ALLOCS(found = maptab_get(&t, 42, &v));
    cr_assert(not(found), "an empty table holds nothing");
    ASSERT_ALLOCS(maptab_put(&t, 42, 1), 1, MAPTAB_MIN_SLOTS * SLOT);
    ASSERT_NO_ALLOCS(maptab_put(&t, 42, 2));
    cr_assert(maptab_get(&t, 42, &v) && v == 2, "the second put replaced the value");
    cr_assert(eq(sz, t.count, 1));
    maptab_free(&t);
    maptab_free(&t); /* twice: the second finds MAPTAB_INIT and does nothing */
    maptab_free(NULL);
    ASSERT_ALL_FREED_SINCE(&start, "maptab_free");
}

Test(maptab, key_zero_is_a_key_like_any_other_and_costs_no_slot)
{
    struct maptab t = MAPTAB_INIT;
    uint64_t v = 1;
    int rc;

    cr_assert(not(maptab_get(&t, 0, &v)));
    ASSERT_NO_ALLOCS(rc = maptab_put(&t, 0, 7));
    cr_assert(eq(int, rc, 0));
    cr_assert(maptab_get(&t, 0, &v) && v == 7);
    cr_assert(eq(sz, t.count, 1));
    cr_assert(maptab_put(&t, 5, 5) == 0 && maptab_get(&t, 0, &v) && v == 7);
    cr_assert(eq(sz, t.count, 2));
    maptab_free(&t);
}

Test(maptab, keys_that_share_a_first_slot_stay_apart_and_are_found)
{
    struct maptab t = MAPTAB_INIT;
    uint64_t v;

    /* 6 keys in 8 slots (3/4): at least two of them share a first slot */
    for (uint64_t k = 1; k <= 6; k++)
        cr_assert(maptab_put(&t, k * 8, k) == 0);
    cr_assert(eq(sz, t.cap, MAPTAB_MIN_SLOTS), "6 keys fit in the first %d slots", MAPTAB_MIN_SLOTS);
    for (uint64_t k = 1; k <= 6; k++)
        cr_assert(maptab_get(&t, k * 8, &v) && v == k, "key %llu", (unsigned long long)(k * 8));
    maptab_free(&t);
}

Test(maptab, the_slots_for_n_keys_are_the_smallest_power_of_two_with_n_at_most_three_quarters)
{
    cr_assert(eq(sz, maptab_slots_for(0), 0));
    for (size_t n = 1; n <= 100000; n++) {
        size_t cap = maptab_slots_for(n);

        cr_assert(cap >= MAPTAB_MIN_SLOTS && (cap & (cap - 1)) == 0, "n = %zu: %zu slots", n, cap);
        cr_assert(n * 4 <= cap * 3, "n = %zu: %zu slots is past 3/4", n, cap);
        cr_assert(cap == MAPTAB_MIN_SLOTS || n * 4 > cap / 2 * 3,
                  "n = %zu: %zu slots, but half of them would do", n, cap);
    }
    cr_assert(eq(sz, maptab_slots_for(SIZE_MAX), 0), "no array holds SIZE_MAX keys");
}

/* ---- grown against hinted: the counts worked out ---- */

Test(growth, each_growth_allocates_twice_the_slots_and_frees_the_old_array)
{
    struct maptab t = MAPTAB_INIT;

    for (size_t i = 1; i <= 5000; i++) {
        size_t before = t.cap, want = maptab_slots_for(i);
        struct countalloc_stats d;

        ALLOC_MEASURE(maptab_put(&t, maptab_key(i), i), d);
        if (want == before) {
            cr_assert(d.mallocs == 0 && d.frees == 0, "key %zu: no growth, no allocation", i);
            continue;
        }
        cr_assert(eq(sz, t.cap, before ? 2 * before : MAPTAB_MIN_SLOTS), "key %zu doubles", i);
        cr_assert(d.mallocs == 1 && d.total_alloc == t.cap * SLOT,
                  "key %zu: expected one array of %zu bytes, saw %llu allocations of %llu bytes",
                  i, t.cap * SLOT, (unsigned long long)d.mallocs, (unsigned long long)d.total_alloc);
        cr_assert(eq(u64, d.frees, before ? 1 : 0), "key %zu: the old array freed", i);
        cr_assert(eq(i64, d.peak, (int64_t)(t.cap * SLOT)),
                  "key %zu: the new array is live beside the old one (the peak rose by the new "
                  "array's %zu bytes)", i, t.cap * SLOT);
        cr_assert(eq(i64, d.heap_alloc, (int64_t)((t.cap - before) * SLOT)));
    }
    assert_holds(&t, 5000, "grown");
    maptab_free(&t);
}

static void check_both_ways(size_t n)
{
    struct maptab g = MAPTAB_INIT, h;
    struct countalloc_stats d, start;
    struct cost gc = grown_cost(n), hc = hinted_cost(n);
    int rc;

    countalloc_measure_begin(&start);
    ALLOC_MEASURE(rc = maptab_fill(&g, n), d);
    cr_assert(eq(int, rc, 0));
    cr_assert(d.mallocs == gc.allocs && d.total_alloc == gc.bytes && d.peak == gc.peak,
              "grown to %zu keys: expected %llu allocations (1 + %llu growths) of %llu bytes, "
              "peak %lld; saw %llu of %llu, peak %lld",
              n, (unsigned long long)gc.allocs, (unsigned long long)gc.allocs - 1,
              (unsigned long long)gc.bytes, (long long)gc.peak, (unsigned long long)d.mallocs,
              (unsigned long long)d.total_alloc, (long long)d.peak);
    cr_assert(eq(i64, d.heap_alloc, (int64_t)(maptab_slots_for(n) * SLOT)), "one array left live");

    ALLOC_MEASURE(rc = maptab_init(&h, n) == 0 ? maptab_fill(&h, n) : -1, d);
    cr_assert(eq(int, rc, 0));
    cr_assert(d.mallocs == hc.allocs && d.total_alloc == hc.bytes && d.peak == hc.peak,
              "hinted with %zu: expected 1 allocation of %llu bytes, peak the same; saw %llu of "
              "%llu, peak %lld", n, (unsigned long long)hc.bytes, (unsigned long long)d.mallocs,
              (unsigned long long)d.total_alloc, (long long)d.peak);
    cr_assert(eq(sz, g.cap, h.cap), "both end at the same size");
    assert_holds(&g, n, "grown");
    assert_holds(&h, n, "hinted");
    maptab_free(&g);
    maptab_free(&h);
    ASSERT_ALL_FREED_SINCE(&start, "both tables freed");
}

Test(growth, grown_to_n_keys_costs_one_plus_the_growths_and_hinted_one_allocation)
{
    static const size_t ns[] = {1, 6, 7, 8, 1000, 98304, 98305, 100000};

    for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++)
        check_both_ways(ns[i]);
}

Test(growth, grown_bytes_are_the_geometric_sum_just_under_twice_the_hinted_array)
{
    for (size_t n = 7; n <= 1000000; n *= 10) {
        struct cost g = grown_cost(n), h = hinted_cost(n);
        size_t cap = maptab_slots_for(n);

        /* 8 + 16 + ... + cap = 2 cap - 8 slots */
        cr_assert(eq(u64, g.bytes, (2 * cap - MAPTAB_MIN_SLOTS) * SLOT), "n = %zu", n);
        cr_assert(g.bytes < 2 * h.bytes && g.peak * 2 == h.peak * 3,
                  "n = %zu: grown %llu bytes, peak %lld; hinted %llu, peak %lld", n,
                  (unsigned long long)g.bytes, (long long)g.peak, (unsigned long long)h.bytes,
                  (long long)h.peak);
    }
}

/* Every growth moves the keys of its old array, all in the put that sets it off. Key 0
 * counts toward the growth rule (count includes it) but lives in the handle and never
 * moves: a growth from c slots comes when count would pass 3/4 c, and moves the 3/4 c - 1
 * other keys; the last growth, from cap / 2, moves the most. */
Test(growth, a_growth_moves_every_key_in_one_put_and_a_hint_moves_none)
{
    static const size_t ns[] = {1, 5, 6, 1000, 98303, 98304};

    for (size_t k = 0; k < sizeof ns / sizeof ns[0]; k++) {
        size_t n = ns[k], cap = maptab_slots_for(n + 1);
        uint64_t all = 0, most = cap > MAPTAB_MIN_SLOTS ? cap / 2 / 4 * 3 - 1 : 0;
        struct maptab g = MAPTAB_INIT, h;

        for (size_t c = MAPTAB_MIN_SLOTS; c < cap; c *= 2)
            all += c / 4 * 3 - 1;
        cr_assert(maptab_put(&g, 0, 0) == 0 && maptab_fill(&g, n) == 0 && g.cap == cap);
        cr_assert(g.moved == all && g.most_moved == most,
                  "key 0 and %zu keys (%zu slots): expected %llu keys moved in all, %llu by "
                  "one put; saw %llu and %llu", n, cap, (unsigned long long)all,
                  (unsigned long long)most, (unsigned long long)g.moved,
                  (unsigned long long)g.most_moved);
        cr_assert(maptab_init(&h, n + 1) == 0 && maptab_put(&h, 0, 0) == 0 &&
                  maptab_fill(&h, n) == 0);
        cr_assert(h.moved == 0 && h.most_moved == 0, "hinted with %zu: no key moved, saw %llu",
                  n + 1, (unsigned long long)h.moved);
        maptab_free(&g);
        maptab_free(&h);
    }
}

Test(growth, a_hint_larger_than_needed_never_grows_and_a_smaller_one_grows_from_there)
{
    struct maptab t;
    size_t cap;

    cr_assert(maptab_init(&t, 1000) == 0);
    cap = t.cap;
    ASSERT_NO_ALLOCS(maptab_fill(&t, 10));
    cr_assert(eq(sz, t.cap, cap), "a larger hint keeps its size");
    maptab_free(&t);

    cr_assert(maptab_init(&t, 100) == 0);
    cap = t.cap;
    /* from cap slots to slots_for(1000): one allocation per doubling */
    size_t growths = 0;
    for (size_t s = cap; s < maptab_slots_for(1000); s *= 2)
        growths++;
    ASSERT_ALLOC_COUNT(maptab_fill(&t, 1000), growths);
    assert_holds(&t, 1000, "hinted 100, then 1,000 keys");
    maptab_free(&t);

    int rc;
    ASSERT_NO_ALLOCS(rc = maptab_init(&t, 0));
    cr_assert(eq(int, rc, 0));
    cr_assert(t.slots == NULL && t.cap == 0, "a hint of 0 is MAPTAB_INIT");
}

/* ---- failure ---- */

Test(maptab_failure, a_failed_growth_leaves_the_table_as_it_was_and_usable)
{
    SKIP_WITHOUT_INJECTION();
    struct maptab t = MAPTAB_INIT;
    size_t full = MAPTAB_MIN_SLOTS / 4 * 3 * 2; /* 12 keys fill 16 slots to 3/4 */
    struct countalloc_stats d;
    int rc;

    cr_assert(maptab_fill(&t, full) == 0 && t.cap == 2 * MAPTAB_MIN_SLOTS);
    struct maptab_slot *slots = t.slots;
    countalloc_fail_at(1, false);
    ALLOC_MEASURE(rc = maptab_put(&t, maptab_key(full + 1), full + 1), d);
    countalloc_fail_at(0, false);
    cr_assert(eq(int, rc, -1), "the growth failed: maptab_put returns -1");
    cr_assert(eq(int, errno, ENOMEM));
    cr_assert(d.heap_alloc == 0 && d.heap_objects == 0, "the failed growth leaked");
    cr_assert(t.slots == slots && t.cap == 2 * MAPTAB_MIN_SLOTS && t.count == full &&
                  t.moved == MAPTAB_MIN_SLOTS / 4 * 3 && t.most_moved == t.moved,
              "the table changed (its counters too: only the first growth's keys moved)");
    assert_holds(&t, full, "after the failed growth");
    cr_assert(eq(int, maptab_put(&t, maptab_key(full + 1), full + 1), 0), "usable again");
    cr_assert(eq(sz, t.cap, 4 * MAPTAB_MIN_SLOTS));
    maptab_free(&t);
}

/* Field by field: memcmp would read the padding after has_zero. */
static bool same_handle(const struct maptab *a, const struct maptab *b)
{
    return a->slots == b->slots && a->cap == b->cap && a->count == b->count &&
           a->has_zero == b->has_zero && a->zero_val == b->zero_val && a->moved == b->moved &&
           a->most_moved == b->most_moved;
}

Test(maptab_failure, a_failed_or_impossible_hint_leaves_the_handle_as_it_was)
{
    SKIP_WITHOUT_INJECTION();
    struct maptab t = {(struct maptab_slot *)&t, 99, 99, true, 99, 99, 99}; /* a sentinel */
    struct maptab was = t;

    countalloc_fail_at(1, false);
    cr_assert(eq(int, maptab_init(&t, 1000), -1));
    countalloc_fail_at(0, false);
    cr_assert(eq(int, errno, ENOMEM));
    cr_assert(same_handle(&t, &was), "a failed maptab_init changed the handle");
    int rc;
    ASSERT_NO_ALLOCS(rc = maptab_init(&t, SIZE_MAX));
    cr_assert(eq(int, rc, -1));
    cr_assert(eq(int, errno, EINVAL));
    cr_assert(same_handle(&t, &was), "an impossible hint changed the handle");
}

static int sweep_grown(void *ctx)
{
    struct maptab t = MAPTAB_INIT;
    int rc = maptab_fill(&t, *(size_t *)ctx);

    maptab_free(&t);
    return rc;
}

static int sweep_hinted(void *ctx)
{
    struct maptab t;
    int rc;

    if (maptab_init(&t, *(size_t *)ctx) != 0)
        return -1;
    rc = maptab_fill(&t, *(size_t *)ctx * 4); /* past the hint: it grows from there */
    maptab_free(&t);
    return rc;
}

Test(maptab_failure, every_allocation_of_either_build_failed_in_turn_is_reported_and_leaks_nothing)
{
    size_t n = 1000; /* grown: 9 arrays; hinted with 1,000 and filled to 4,000: 1 + 2 */

    ASSERT_SWEEP_CLEAN(sweep_grown, &n);
    ASSERT_SWEEP_CLEAN(sweep_hinted, &n);
}

/* ---- the program ---- */

Test(mapgrow_program, bad_arguments_get_one_line_and_exit_status_2)
{
    static const char *const bad[] = {"abc", "0", "-5", "100000001", "1x", "--bogus",
                                      "99999999999999999999999", "1 2"};

    ASSERT_BAD_ARGUMENTS("demo/mapgrow", "N", bad);
}
