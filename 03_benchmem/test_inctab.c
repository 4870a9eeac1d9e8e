/* test_inctab.c: the incrementally grown table of inctab.h against maptab.h's. Every key
 * found during a migration (in either array) and after it, the same contents as maptab for
 * the same puts, the allocations, bytes and peak worked out from the growth rule, the
 * keys moved in all and the most by one put (maptab's the whole old array, inctab's at
 * most INCTAB_MOVE_PER_PUT, exactly as the old array's slots lie), a failed growth that
 * leaves the table exactly as it was, the OOM sweep, and the demo's bad arguments. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <errno.h>
#include <string.h>

#include "alloc_assert.h"
#include "cli_assert.h"
#include "countalloc.h"
#include "inctab.h"
#include "maptab.h"

#define SLOT sizeof(struct maptab_slot)

/* t holds exactly keys maptab_key(1..n), each with value i (plus key 0 when zero). */
static void assert_holds(const struct inctab *t, size_t n, bool zero, const char *how)
{
    uint64_t v;

    cr_assert(eq(sz, t->count, n + zero), "%s: %zu keys", how, n + zero);
    for (size_t i = 1; i <= n; i++) {
        cr_assert(inctab_get(t, maptab_key(i), &v), "%s: key %zu lost (%s)", how, i,
                  inctab_migrating(t) ? "during a migration" : "no migration under way");
        cr_assert(eq(u64, v, i), "%s: key %zu's value", how, i);
    }
    cr_assert(not(inctab_get(t, maptab_key(n + 1), NULL)), "%s: a key never put", how);
    cr_assert(inctab_get(t, 0, NULL) == zero, "%s: key 0", how);
}

/* The first put of a table grown from empty that grows it from c slots: the one that would
 * make the count pass 3/4 c (keys maptab_key(1..), no key 0). */
static size_t growth_put(size_t c)
{
    return c / 4 * 3 + 1;
}

/* The most keys one put of inctab moves, worked out without inctab: each put moves one
 * aligned window of INCTAB_MOVE_PER_PUT old slots, and which slots of the old array hold a
 * key when a growth from c slots begins is the same for any order of the same keys under
 * linear probing: maptab made at c slots with keys 1 .. 3/4 c has them. The most over the
 * growths of a table grown to cap slots. */
static uint64_t most_per_put(size_t cap)
{
    uint64_t most = 0;

    for (size_t c = MAPTAB_MIN_SLOTS; c < cap; c *= 2) {
        struct maptab m;

        cr_assert(maptab_init(&m, c / 4 * 3) == 0 && m.cap == c);
        cr_assert(maptab_fill(&m, c / 4 * 3) == 0);
        for (size_t w = 0; w < c; w += INCTAB_MOVE_PER_PUT) {
            uint64_t held = 0;

            for (size_t i = w; i < w + INCTAB_MOVE_PER_PUT; i++)
                held += m.slots[i].key != 0;
            if (held > most)
                most = held;
        }
        maptab_free(&m);
    }
    return most;
}

/* ---- the table ---- */

Test(inctab, a_key_put_is_found_with_its_value_and_a_second_put_replaces_it)
{
    struct inctab t = INCTAB_INIT;
    uint64_t v = 0;
    struct countalloc_stats start;
    bool found;

    countalloc_measure_begin(&start);
    ASSERT_NO_ALLOCS(found = inctab_get(&t, 42, &v));
    cr_assert(not(found), "an empty table holds nothing");
    ASSERT_ALLOCS(inctab_put(&t, 42, 1), 1, MAPTAB_MIN_SLOTS * SLOT);
    ASSERT_NO_ALLOCS(inctab_put(&t, 42, 2));
    cr_assert(inctab_get(&t, 42, &v) && v == 2, "the second put replaced the value");
    cr_assert(eq(sz, t.count, 1));
    ASSERT_NO_ALLOCS(inctab_put(&t, 0, 7));
    cr_assert(inctab_get(&t, 0, &v) && v == 7, "key 0 lives in the handle");
    cr_assert(eq(sz, t.count, 2));
    inctab_free(&t);
    inctab_free(&t); /* twice: the second finds INCTAB_INIT and does nothing */
    inctab_free(NULL);
    ASSERT_ALL_FREED_SINCE(&start, "inctab_free");
}

Test(inctab, every_key_is_found_during_each_migration_and_after_it_the_moved_slots_never_read)
{
    struct inctab t = INCTAB_INIT;
    size_t n = 1000, checked = 0;

    cr_assert(inctab_put(&t, 0, 0) == 0);
    for (size_t i = 1; i <= n; i++) {
        cr_assert(inctab_put(&t, maptab_key(i), i) == 0);
        if (!inctab_migrating(&t))
            continue;
        /* the moved slots are never read again: zeroed, as pages given back to the kernel
         * would be (make pause-03 --time gives them back), every key is still found */
        memset(t.old, 0, t.next * SLOT);
        /* after each put of a migration: the keys of both arrays, and those not put yet */
        assert_holds(&t, i, true, "during a migration");
        checked++;
    }
    /* 1,000 keys: migrations from 8, 16, ..., 1,024 slots, c / STEP puts each, the last
     * (from 1,024, at put 769) over by put 896; the last put of each ends it */
    size_t want = 0;
    for (size_t c = MAPTAB_MIN_SLOTS; c <= 1024; c *= 2)
        want += c / INCTAB_MOVE_PER_PUT - 1;
    cr_assert(eq(sz, checked, want), "puts that left a migration under way");
    cr_assert(not(inctab_migrating(&t)));
    cr_assert(t.old == NULL, "the last migration freed its old array");
    assert_holds(&t, n, true, "after the migrations");
    inctab_free(&t);
}

/* Whether slots[0..cap) hold key: every slot read, for the tests alone. */
static bool in_array(const struct maptab_slot *slots, size_t cap, uint64_t key)
{
    for (size_t i = 0; i < cap; i++)
        if (slots[i].key == key)
            return true;
    return false;
}

Test(inctab, a_key_still_in_the_old_array_takes_a_new_value_there_and_keeps_it_when_moved)
{
    struct inctab t = INCTAB_INIT;
    size_t g = growth_put(1024), in_old = 0; /* 769: from 1,024 slots to 2,048 */
    uint64_t v;

    cr_assert(inctab_fill(&t, g) == 0 && inctab_migrating(&t) && t.old_cap == 1024);
    /* each key put again with a new value: while the migration lasts, some are still in
     * the old array, not moved yet */
    for (size_t i = 1; i < g; i++) {
        size_t count = t.count;

        in_old += t.old != NULL && !in_array(t.slots, t.cap, maptab_key(i));
        ASSERT_NO_ALLOCS(inctab_put(&t, maptab_key(i), 2 * i));
        cr_assert(eq(sz, t.count, count), "key %zu was held: no new key", i);
        cr_assert(inctab_get(&t, maptab_key(i), &v) && v == 2 * i, "key %zu's new value", i);
    }
    cr_assert(in_old > 0, "some keys were put again while they sat in the old array");
    cr_assert(not(inctab_migrating(&t)), "768 puts end a migration of 128");
    for (size_t i = 1; i < g; i++) {
        cr_assert(in_array(t.slots, t.cap, maptab_key(i)), "key %zu moved", i);
        cr_assert(inctab_get(&t, maptab_key(i), &v) && v == 2 * i,
                  "key %zu moved with its new value", i);
    }
    cr_assert(inctab_get(&t, maptab_key(g), &v) && v == g);
    inctab_free(&t);
}

Test(inctab, the_same_puts_leave_the_same_keys_and_values_as_maptab)
{
    struct maptab m = MAPTAB_INIT;
    struct inctab t = INCTAB_INIT;
    size_t n = 5000;

    /* new keys, keys put again (some while they sit in an old array), key 0 */
    for (size_t i = 1; i <= n; i++) {
        uint64_t k = maptab_key(i % 7 == 0 ? i / 7 : i), v = i * 3;

        cr_assert(maptab_put(&m, k, v) == 0 && inctab_put(&t, k, v) == 0);
        if (i % 1000 == 0)
            cr_assert(maptab_put(&m, 0, i) == 0 && inctab_put(&t, 0, i) == 0);
    }
    cr_assert(eq(sz, t.count, m.count), "as many keys");
    cr_assert(eq(sz, t.cap, m.cap), "the same growth rule: as many slots");
    for (size_t i = 0; i <= n + 10; i++) {
        uint64_t k = i == 0 ? 0 : maptab_key(i), a = 0, b = 0;
        bool in_m = maptab_get(&m, k, &a), in_t = inctab_get(&t, k, &b);

        cr_assert(in_m == in_t && a == b, "key %zu: maptab %s %llu, inctab %s %llu", i,
                  in_m ? "holds" : "lacks", (unsigned long long)a, in_t ? "holds" : "lacks",
                  (unsigned long long)b);
    }
    maptab_free(&m);
    inctab_free(&t);
}

/* ---- the growth: allocations, bytes and peak, as maptab's ---- */

Test(growth_inc, each_growth_is_one_calloc_of_twice_the_slots_and_the_old_array_is_freed_later)
{
    struct inctab t = INCTAB_INIT;

    for (size_t i = 1; i <= 5000; i++) {
        size_t before = t.cap, want = maptab_slots_for(i), old_cap = t.old_cap;
        struct countalloc_stats d;

        ALLOC_MEASURE(inctab_put(&t, maptab_key(i), i), d);
        if (want > before) { /* a growth: the new array, the old one kept */
            /* an old array of one step's slots is emptied by the growth's own put */
            uint64_t frees = before == INCTAB_MOVE_PER_PUT ? 1 : 0;

            cr_assert(d.mallocs == 1 && d.total_alloc == want * SLOT && d.frees == frees,
                      "put %zu grows to %zu slots: expected 1 allocation of %zu bytes and %llu "
                      "frees; saw %llu of %llu bytes and %llu frees", i, want, want * SLOT,
                      (unsigned long long)frees, (unsigned long long)d.mallocs,
                      (unsigned long long)d.total_alloc, (unsigned long long)d.frees);
            cr_assert(eq(i64, d.peak, (int64_t)(want * SLOT)), "the new array beside the old");
            cr_assert(before <= INCTAB_MOVE_PER_PUT ||
                          (t.old_cap == before && t.next == INCTAB_MOVE_PER_PUT),
                      "put %zu: the old array kept, its first slots moved", i);
        } else if (old_cap > 0 && t.old == NULL) { /* the last step of a migration */
            cr_assert(d.mallocs == 0 && d.frees == 1 && d.heap_alloc == -(int64_t)(old_cap * SLOT),
                      "put %zu ends the migration from %zu slots: expected no allocation and 1 "
                      "free of %zu bytes; saw %llu allocations, %llu frees, the heap moved by "
                      "%lld", i, old_cap, old_cap * SLOT, (unsigned long long)d.mallocs,
                      (unsigned long long)d.frees, (long long)d.heap_alloc);
            cr_assert(eq(sz, i, growth_put(old_cap) + old_cap / INCTAB_MOVE_PER_PUT - 1),
                      "the migration from %zu slots takes %zu puts, its growth's included",
                      old_cap, old_cap / INCTAB_MOVE_PER_PUT);
        } else {
            cr_assert(d.mallocs == 0 && d.frees == 0, "put %zu: no allocation, no free", i);
        }
    }
    inctab_free(&t);
}

static void check_costs(size_t n)
{
    struct inctab g = INCTAB_INIT, h;
    struct countalloc_stats d, start;
    size_t cap = maptab_slots_for(n), allocs = 0, bytes = 0;
    int64_t peak = (int64_t)((cap > MAPTAB_MIN_SLOTS ? cap + cap / 2 : cap) * SLOT);
    /* the last growth's old array is held until c / STEP puts after it */
    size_t last = cap / 2, held = cap;
    int rc;

    for (size_t s = MAPTAB_MIN_SLOTS; s <= cap; s *= 2) {
        allocs++;
        bytes += s * SLOT;
    }
    if (cap > MAPTAB_MIN_SLOTS && n < growth_put(last) + last / INCTAB_MOVE_PER_PUT - 1)
        held += last;

    countalloc_measure_begin(&start);
    ALLOC_MEASURE(rc = inctab_fill(&g, n), d);
    cr_assert(eq(int, rc, 0));
    cr_assert(d.mallocs == allocs && d.total_alloc == bytes && d.peak == peak,
              "grown to %zu keys: expected %zu allocations of %zu bytes, peak %lld (maptab's "
              "figures); saw %llu of %llu, peak %lld", n, allocs, bytes, (long long)peak,
              (unsigned long long)d.mallocs, (unsigned long long)d.total_alloc, (long long)d.peak);
    cr_assert(eq(i64, d.heap_alloc, (int64_t)(held * SLOT)),
              "%zu keys: %zu slots held (%s)", n, held,
              held > cap ? "the last old array still being emptied" : "one array");
    ALLOC_MEASURE(rc = inctab_init(&h, n) == 0 ? inctab_fill(&h, n) : -1, d);
    cr_assert(eq(int, rc, 0));
    cr_assert(d.mallocs == 1 && d.total_alloc == cap * SLOT && d.peak == (int64_t)(cap * SLOT),
              "hinted with %zu: expected 1 allocation of %zu bytes; saw %llu of %llu", n,
              cap * SLOT, (unsigned long long)d.mallocs, (unsigned long long)d.total_alloc);
    cr_assert(h.moved == 0 && h.most_moved == 0 && h.growths == 0, "hinted: nothing moved");
    assert_holds(&g, n, false, "grown");
    assert_holds(&h, n, false, "hinted");
    inctab_free(&g);
    inctab_free(&h);
    ASSERT_ALL_FREED_SINCE(&start, "both tables freed");
}

Test(growth_inc, grown_to_n_keys_costs_what_maptab_costs_and_a_hint_one_allocation)
{
    /* on either side of a growth (6/7, 98,304/98,305) and of the end of a migration (the
     * one from 1,024 slots ends at put 769 + 128 - 1 = 896) */
    static const size_t ns[] = {1, 6, 7, 8, 895, 896, 1000, 98304, 98305, 100000};

    for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++)
        check_costs(ns[i]);
}

/* ---- the keys moved ---- */

Test(moves, maptab_moves_a_whole_array_in_one_put_and_inctab_at_most_a_step_as_the_slots_lie)
{
    /* each n ends a migration of inctab, so both have moved every old array's keys */
    static const size_t caps[] = {16, 1024, 65536};

    for (size_t k = 0; k < sizeof caps / sizeof caps[0]; k++) {
        size_t cap = caps[k], last = cap / 2;
        size_t n = growth_put(last) + last / INCTAB_MOVE_PER_PUT - 1;
        uint64_t all = (cap - MAPTAB_MIN_SLOTS) / 4 * 3, most = most_per_put(cap);
        struct maptab m = MAPTAB_INIT;
        struct inctab t = INCTAB_INIT;

        cr_assert(maptab_fill(&m, n) == 0 && inctab_fill(&t, n) == 0);
        cr_assert(t.cap == cap && !inctab_migrating(&t), "%zu keys: %zu slots, no migration", n, cap);
        cr_assert(m.moved == all && m.most_moved == last / 4 * 3,
                  "maptab to %zu slots: expected %llu keys moved, %zu in one put; saw %llu, %llu",
                  cap, (unsigned long long)all, last / 4 * 3, (unsigned long long)m.moved,
                  (unsigned long long)m.most_moved);
        cr_assert(t.moved == all, "inctab to %zu slots: expected the same %llu keys moved, saw %llu",
                  cap, (unsigned long long)all, (unsigned long long)t.moved);
        cr_assert(t.most_moved == most && most <= INCTAB_MOVE_PER_PUT,
                  "inctab to %zu slots: expected at most %llu keys moved by one put (the fullest "
                  "window of %d old slots), saw %llu", cap, (unsigned long long)most,
                  INCTAB_MOVE_PER_PUT, (unsigned long long)t.most_moved);
        cr_assert(eq(u64, t.growths, (uint64_t)__builtin_ctzl(cap / MAPTAB_MIN_SLOTS)),
                  "8 -> %zu slots", cap);
        maptab_free(&m);
        inctab_free(&t);
    }
}

Test(moves, no_growth_comes_while_a_migration_is_under_way_whatever_the_puts)
{
    struct inctab t = INCTAB_INIT;

    /* new keys alone bring the next growth soonest: 3/4 c puts after a growth from c, where
     * the migration needs c / STEP; key 0 and keys put again only add steps */
    for (size_t i = 1; i <= 20000; i++) {
        bool migrating = inctab_migrating(&t);
        size_t cap = t.cap;

        cr_assert(inctab_put(&t, maptab_key(i), i) == 0);
        if (t.cap > cap)
            cr_assert(not(migrating), "put %zu grows the table during a migration", i);
        cr_assert(t.most_moved <= INCTAB_MOVE_PER_PUT);
    }
    inctab_free(&t);
}

/* ---- failure ---- */

/* Field by field: memcmp would read the padding after has_zero. */
static bool same_handle(const struct inctab *a, const struct inctab *b)
{
    return a->slots == b->slots && a->cap == b->cap && a->old == b->old &&
           a->old_cap == b->old_cap && a->next == b->next && a->count == b->count &&
           a->has_zero == b->has_zero && a->zero_val == b->zero_val && a->moved == b->moved &&
           a->most_moved == b->most_moved && a->growths == b->growths;
}

Test(inctab_failure, a_failed_growth_leaves_the_table_exactly_as_it_was_and_usable)
{
    SKIP_WITHOUT_INJECTION();
    struct inctab t = INCTAB_INIT;
    size_t full = growth_put(1024) - 2; /* key 0 and 767 keys: the next one grows 1,024 slots */
    struct countalloc_stats d;
    int rc;

    cr_assert(inctab_put(&t, 0, 5) == 0 && inctab_fill(&t, full) == 0);
    cr_assert(t.cap == 1024 && !inctab_migrating(&t), "768 keys in 1,024 slots, key 0 one of them");
    struct inctab was = t;
    countalloc_fail_at(1, false);
    ALLOC_MEASURE(rc = inctab_put(&t, maptab_key(full + 1), full + 1), d);
    cr_assert(eq(u64, countalloc_fail_off(), 1), "the growth's calloc was asked for and failed");
    cr_assert(eq(int, rc, -1), "the growth failed: inctab_put returns -1");
    cr_assert(eq(int, errno, ENOMEM));
    cr_assert(d.heap_alloc == 0 && d.heap_objects == 0 && d.frees == 0, "the failed growth leaked");
    cr_assert(same_handle(&t, &was), "the table changed: its arrays, counts or counters");
    assert_holds(&t, full, true, "after the failed growth");
    cr_assert(eq(int, inctab_put(&t, maptab_key(full + 1), full + 1), 0), "usable again");
    cr_assert(t.cap == 2048 && inctab_migrating(&t));
    inctab_free(&t);
}

Test(inctab_failure, a_failed_or_impossible_hint_leaves_the_handle_as_it_was)
{
    SKIP_WITHOUT_INJECTION();
    struct inctab t = {(struct maptab_slot *)&t, 99, NULL, 9, 9, 99, true, 99, 9, 9, 9};
    struct inctab was = t;
    int rc;

    countalloc_fail_at(1, false);
    rc = inctab_init(&t, 1000);
    countalloc_fail_at(0, false);
    cr_assert(rc == -1 && errno == ENOMEM && same_handle(&t, &was), "a failed inctab_init");
    ASSERT_NO_ALLOCS(rc = inctab_init(&t, SIZE_MAX));
    cr_assert(rc == -1 && errno == EINVAL && same_handle(&t, &was), "an impossible hint");
}

static int sweep_grown(void *ctx)
{
    struct inctab t = INCTAB_INIT;
    int rc = inctab_fill(&t, *(size_t *)ctx);

    if (rc == 0)
        assert_holds(&t, *(size_t *)ctx, false, "the sweep's table");
    inctab_free(&t);
    return rc;
}

static int sweep_hinted(void *ctx)
{
    struct inctab t;
    int rc;

    if (inctab_init(&t, *(size_t *)ctx) != 0)
        return -1;
    rc = inctab_fill(&t, *(size_t *)ctx * 4); /* past the hint: it grows from there */
    inctab_free(&t);
    return rc;
}

Test(inctab_failure, every_allocation_of_either_build_failed_in_turn_is_reported_and_leaks_nothing)
{
    size_t n = 1000; /* grown: 9 arrays, the last migration under way; hinted: 1 + 2 */

    ASSERT_SWEEP_CLEAN(sweep_grown, &n);
    ASSERT_SWEEP_CLEAN(sweep_hinted, &n);
}

/* ---- the program ---- */

Test(pause_program, bad_arguments_get_one_line_and_exit_status_2)
{
    static const char *const bad[] = {"abc", "0", "-5", "10000001", "1x", "--bogus",
                                      "99999999999999999999999", "1 2", "--time 0",
                                      "--time 1 2", "--time x"};

    ASSERT_BAD_ARGUMENTS("demo/pause", "N", bad);
}
