/* test_mapshrink.c: deleting keys from the hash table of maptab.h and shrinking it. A
 * delete never allocates and never gives the array back; maptab_shrink makes one array
 * sized for the keys left (its bytes worked out from maptab_slots_for) and frees the old
 * one; the kept keys are found and the deleted ones are not; a failed shrink leaves the
 * table as it was; and the demo's bad arguments. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <errno.h>
#include <stdlib.h>

#include "alloc_assert.h"
#include "cli_assert.h"
#include "countalloc.h"
#include "maptab.h"
#include "shuffle.h"

#define SLOT sizeof(struct maptab_slot)

/* Delete every key i <= n that is not a multiple of every; the kept keys number n / every.
 * Seed 0: in order, nothing allocated; else in the order seed picks (an array of n). */
static void delete_all_but(struct maptab *t, size_t n, size_t every, uint64_t seed)
{
    size_t *order = NULL;

    if (seed != 0) {
        order = malloc(n * sizeof *order);
        cr_assert(order != NULL, "the order array");
        for (size_t i = 0; i < n; i++)
            order[i] = i + 1;
        shuffle_indices(order, n, seed);
    }
    for (size_t j = 0; j < n; j++) {
        size_t i = order != NULL ? order[j] : j + 1;

        if (i % every != 0)
            cr_assert(maptab_del(t, maptab_key(i)), "key %zu was held", i);
    }
    free(order);
}

/* t holds exactly keys i <= n that are multiples of every, each with value i. */
static void assert_kept(const struct maptab *t, size_t n, size_t every, const char *how)
{
    uint64_t v;

    cr_assert(eq(sz, t->count, n / every), "%s: %zu keys left", how, n / every);
    for (size_t i = 1; i <= n; i++) {
        bool held = maptab_get(t, maptab_key(i), &v);

        cr_assert(held == (i % every == 0), "%s: key %zu %s", how, i,
                  held ? "was deleted but is found" : "was kept but is lost");
        cr_assert(held == false || v == i, "%s: key %zu's value", how, i);
    }
}

/* Field by field: memcmp would read the padding after has_zero. */
static bool same_handle(const struct maptab *a, const struct maptab *b)
{
    return a->slots == b->slots && a->cap == b->cap && a->count == b->count &&
           a->has_zero == b->has_zero && a->zero_val == b->zero_val && a->moved == b->moved &&
           a->most_moved == b->most_moved;
}

/* ---- deleting ---- */

Test(mapdel, deleting_never_allocates_never_frees_and_keeps_every_slot)
{
    struct maptab t = MAPTAB_INIT;
    size_t n = 20000, cap;
    struct countalloc_stats d;

    cr_assert(maptab_fill(&t, n) == 0);
    cap = t.cap;
    ALLOC_MEASURE(delete_all_but(&t, n, 100, 0), d);
    cr_assert(d.mallocs == 0 && d.frees == 0 && d.heap_alloc == 0,
              "%zu deletes: expected no allocation and no free; saw %llu allocations and %llu "
              "frees", n - n / 100, (unsigned long long)d.mallocs, (unsigned long long)d.frees);
    cr_assert(eq(sz, t.cap, cap), "the array keeps its %zu slots with %zu keys left", cap, n / 100);
    assert_kept(&t, n, 100, "deleted in order");
    ASSERT_NO_ALLOCS(maptab_del(&t, maptab_key(100)));
    cr_assert(not(maptab_del(&t, maptab_key(100))), "a key deleted twice is not held");
    cr_assert(not(maptab_del(&t, maptab_key(n + 1))), "a key never put is not held");
    maptab_free(&t);
}

Test(mapdel, every_kept_key_is_found_whatever_the_order_of_the_deletes)
{
    /* 12 keys in 16 slots (3/4 full): long runs, so the shift moves keys across the wrap */
    for (uint64_t seed = 1; seed <= 200; seed++) {
        struct maptab t = MAPTAB_INIT;

        cr_assert(maptab_fill(&t, 12) == 0 && t.cap == 2 * MAPTAB_MIN_SLOTS);
        delete_all_but(&t, 12, 3, seed);
        assert_kept(&t, 12, 3, "12 keys, every third kept, shuffled deletes");
        maptab_free(&t);
    }
    for (uint64_t seed = 1; seed <= 5; seed++) {
        struct maptab t = MAPTAB_INIT;

        cr_assert(maptab_fill(&t, 5000) == 0);
        delete_all_but(&t, 5000, 7, seed);
        assert_kept(&t, 5000, 7, "5,000 keys, every seventh kept, shuffled deletes");
        maptab_free(&t);
    }
}

Test(mapdel, a_table_emptied_by_deletes_has_every_slot_free_no_tombstone)
{
    struct maptab t = MAPTAB_INIT;

    cr_assert(maptab_fill(&t, 1000) == 0 && maptab_put(&t, 0, 9) == 0);
    delete_all_but(&t, 1000, 1001, 42);
    cr_assert(maptab_del(&t, 0), "key 0 was held");
    cr_assert(not(maptab_get(&t, 0, NULL)), "key 0 deleted too");
    cr_assert(eq(sz, t.count, 0));
    for (size_t i = 0; i < t.cap; i++)
        cr_assert(t.slots[i].key == 0, "slot %zu still holds a key", i);
    for (size_t i = 1; i <= 1000; i++)
        cr_assert(eq(sz, maptab_probes(&t, maptab_key(i)), 1),
                  "key %zu: a lookup in an empty array reads its first slot and stops", i);
    maptab_free(&t);
}

Test(mapdel, keys_put_again_after_deletes_take_no_new_array_until_three_quarters)
{
    struct maptab t = MAPTAB_INIT;
    size_t n = 6144; /* 3/4 of 8,192 slots: the next key grows the array */

    cr_assert(maptab_fill(&t, n) == 0 && t.cap == 8192);
    delete_all_but(&t, n, 2, 7);
    ASSERT_NO_ALLOCS(maptab_fill(&t, n)); /* the deleted half back, the kept half replaced */
    cr_assert(eq(sz, t.count, n));
    for (size_t i = 1; i <= n; i++) {
        uint64_t v;

        cr_assert(maptab_get(&t, maptab_key(i), &v) && v == i, "key %zu put again", i);
    }
    ASSERT_ALLOCS(maptab_put(&t, maptab_key(n + 1), 0), 1, 2 * 8192 * SLOT);
    maptab_free(&t);
}

Test(mapdel, probes_count_the_slots_a_lookup_reads)
{
    struct maptab t = MAPTAB_INIT;

    cr_assert(eq(sz, maptab_probes(&t, 5), 0), "no array: nothing read");
    cr_assert(maptab_fill(&t, 6) == 0 && t.cap == MAPTAB_MIN_SLOTS);
    cr_assert(eq(sz, maptab_probes(&t, 0), 0), "key 0 lives in the handle");
    for (size_t i = 1; i <= 6; i++) {
        size_t p = maptab_probes(&t, maptab_key(i));

        cr_assert(p >= 1 && p <= 6, "key %zu: %zu slots read, from 1 to the 6 keys", i, p);
    }
    /* a key never put reads up to the first free slot: 2 free slots of 8, so at most 7 */
    for (size_t i = 7; i <= 100; i++) {
        size_t p = maptab_probes(&t, maptab_key(i));

        cr_assert(p >= 1 && p <= 7, "key %zu (never put): %zu slots read", i, p);
    }
    maptab_free(&t);
}

/* ---- shrinking ---- */

static void check_shrink(size_t n, size_t every)
{
    struct maptab t = MAPTAB_INIT;
    size_t old, want;
    struct countalloc_stats d;
    int rc;

    cr_assert(maptab_fill(&t, n) == 0);
    delete_all_but(&t, n, every, 0);
    old = t.cap;
    want = maptab_slots_for(n / every);
    uint64_t moved = t.moved;
    ALLOC_MEASURE(rc = maptab_shrink(&t), d);
    cr_assert(eq(int, rc, 0));
    cr_assert(eq(u64, t.moved - moved, want < old ? n / every : 0),
              "%zu keys, %zu left: a shrink moves each key left, or nothing when it keeps "
              "the array", n, n / every);
    if (want < old) {
        cr_assert(d.mallocs == 1 && d.total_alloc == want * SLOT && d.frees == 1,
                  "%zu keys, %zu left: expected 1 allocation of %zu bytes (%zu slots) and 1 "
                  "free; saw %llu of %llu bytes and %llu frees", n, n / every, want * SLOT, want,
                  (unsigned long long)d.mallocs, (unsigned long long)d.total_alloc,
                  (unsigned long long)d.frees);
        cr_assert(eq(i64, d.heap_alloc, -(int64_t)((old - want) * SLOT)),
                  "the heap falls by the old array less the new one");
        cr_assert(eq(i64, d.peak, (int64_t)(want * SLOT)), "the new array beside the old one");
    } else {
        cr_assert(d.mallocs == 0 && d.frees == 0, "%zu keys left fit %zu slots: nothing to do",
                  n / every, old);
    }
    cr_assert(eq(sz, t.cap, want < old ? want : old));
    assert_kept(&t, n, every, "shrunk");
    maptab_free(&t);
}

Test(mapshrink, shrinking_makes_one_array_for_the_keys_left_and_frees_the_old_one)
{
    static const size_t cases[][2] = {{100000, 100}, {100000, 2}, {20000, 3}, {1000, 10},
                                      {1000, 1000}, {13, 2}, {12, 1}};

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check_shrink(cases[i][0], cases[i][1]);
}

Test(mapshrink, with_no_keys_left_the_array_is_freed_and_nothing_allocated)
{
    struct maptab t = MAPTAB_INIT;
    struct countalloc_stats start, d;
    int rc;

    countalloc_measure_begin(&start);
    cr_assert(maptab_fill(&t, 1000) == 0);
    delete_all_but(&t, 1000, 1001, 0);
    ALLOC_MEASURE(rc = maptab_shrink(&t), d);
    cr_assert(eq(int, rc, 0));
    cr_assert(d.mallocs == 0 && d.frees == 1, "expected 0 allocations and 1 free, saw %llu and %llu",
              (unsigned long long)d.mallocs, (unsigned long long)d.frees);
    cr_assert(t.slots == NULL && t.cap == 0 && t.count == 0, "the table is MAPTAB_INIT again");
    d = countalloc_measure_end(&start);
    cr_assert(d.heap_alloc == 0 && d.heap_objects == 0, "%lld bytes still live",
              (long long)d.heap_alloc);
    ASSERT_ALLOCS(maptab_put(&t, 5, 5), 1, MAPTAB_MIN_SLOTS * SLOT); /* usable: grows again */
    ASSERT_NO_ALLOCS(maptab_shrink(&t)); /* 8 slots for 1 key: already the size */
    maptab_free(&t);
    ASSERT_NO_ALLOCS(maptab_shrink(&t)); /* an empty table: nothing at all */
}

Test(mapshrink, a_shrunk_table_grows_again_by_the_same_rule)
{
    struct maptab t = MAPTAB_INIT;
    size_t growths = 0;

    cr_assert(maptab_fill(&t, 10000) == 0);
    delete_all_but(&t, 10000, 100, 0);
    cr_assert(maptab_shrink(&t) == 0 && t.cap == maptab_slots_for(100));
    for (size_t s = t.cap; s < maptab_slots_for(10000); s *= 2)
        growths++;
    ASSERT_ALLOC_COUNT(maptab_fill(&t, 10000), growths);
    cr_assert(eq(sz, t.cap, maptab_slots_for(10000)));
    assert_kept(&t, 10000, 1, "filled again");
    maptab_free(&t);
}

Test(mapshrink_failure, a_failed_shrink_leaves_the_table_exactly_as_it_was)
{
    SKIP_WITHOUT_INJECTION();
    struct maptab t = MAPTAB_INIT, was;
    struct countalloc_stats d;
    int rc;

    cr_assert(maptab_fill(&t, 1000) == 0 && maptab_put(&t, 0, 3) == 0);
    delete_all_but(&t, 1000, 10, 0);
    was = t;
    countalloc_fail_at(1, false);
    ALLOC_MEASURE(rc = maptab_shrink(&t), d);
    countalloc_fail_at(0, false);
    cr_assert(eq(int, rc, -1), "the allocation failed: maptab_shrink returns -1");
    cr_assert(eq(int, errno, ENOMEM));
    cr_assert(d.heap_alloc == 0 && d.heap_objects == 0 && d.frees == 0,
              "a failed shrink freed or leaked something");
    cr_assert(same_handle(&t, &was), "a failed shrink changed the handle");
    cr_assert(maptab_get(&t, 0, NULL), "key 0 still held");
    t.count--; /* assert_kept counts the slots' keys alone */
    assert_kept(&t, 1000, 10, "after the failed shrink");
    t.count++;
    cr_assert(eq(int, maptab_shrink(&t), 0), "usable: the next shrink succeeds");
    cr_assert(eq(sz, t.cap, maptab_slots_for(101)));
    maptab_free(&t);
}

/* The whole job under the sweep: fill, delete all but 1 in 10, shrink. A shrink that fails
 * must leave every kept key in place. */
static int sweep_shrink(void *ctx)
{
    size_t n = *(size_t *)ctx;
    struct maptab t = MAPTAB_INIT;
    int rc = maptab_fill(&t, n);

    if (rc == 0) {
        delete_all_but(&t, n, 10, 0);
        size_t cap = t.cap;

        rc = maptab_shrink(&t);
        if (rc != 0)
            cr_assert(t.cap == cap, "a failed shrink changed the table's size");
        assert_kept(&t, n, 10, rc == 0 ? "shrunk" : "after a failed shrink");
    }
    maptab_free(&t);
    return rc;
}

Test(mapshrink_failure, every_allocation_of_fill_delete_shrink_failed_in_turn_is_reported_and_leaks_nothing)
{
    size_t n = 1000; /* 9 arrays grown, then 1 shrunk */

    ASSERT_SWEEP_CLEAN(sweep_shrink, &n);
}

/* ---- the program ---- */

Test(mapshrink_program, bad_arguments_get_one_line_and_exit_status_2)
{
    static const char *const bad[] = {"abc", "0", "-5", "100000001", "1x", "--bogus",
                                      "99999999999999999999999", "1 2"};

    ASSERT_BAD_ARGUMENTS("demo/mapshrink", "N", bad);
}
