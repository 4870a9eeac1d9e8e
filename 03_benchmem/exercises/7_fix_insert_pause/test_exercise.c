/* test_exercise.c: the store's keys during and after a migration, the most keys one put
 * moves out of an old array (seen from the arrays themselves: the keys that appear in the
 * new array beyond the put's own), the allocations of each growth, a growth that cannot
 * allocate, and the OOM sweep. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "alloc_assert.h"
#include "countalloc.h"
#include "exercise.h"

#define SLOT sizeof(struct store_slot)

/* The i-th key (i from 1): distinct for distinct i, never 0, spread over the slots. */
static uint64_t key_of(size_t i)
{
    return i * 0x9e3779b97f4a7c15ULL;
}

/* The keys slots[0..cap) hold. */
static size_t keys_in(const struct store_slot *slots, size_t cap)
{
    size_t n = 0;

    for (size_t i = 0; i < cap; i++)
        n += slots[i].key != 0;
    return n;
}

static bool holds_key(const struct store_slot *slots, size_t cap, uint64_t key)
{
    for (size_t i = 0; i < cap; i++)
        if (slots[i].key == key)
            return true;
    return false;
}

/* s holds exactly keys 1..n, key i with value i * mult. */
static void assert_holds(const struct store *s, size_t n, uint64_t mult, const char *how)
{
    uint64_t v;

    cr_assert(eq(sz, s->count, n), "%s: expected %zu keys, count says %zu", how, n, s->count);
    for (size_t i = 1; i <= n; i++) {
        cr_assert(store_get(s, key_of(i), &v), "%s: key %zu is lost%s", how, i,
                  s->old != NULL ? " (a migration is under way: look in the old array too)" : "");
        cr_assert(v == i * mult, "%s: key %zu: expected value %llu, saw %llu", how, i,
                  (unsigned long long)(i * mult), (unsigned long long)v);
    }
    cr_assert(not(store_get(s, key_of(n + 1), NULL)), "%s: a key never put is found", how);
}

/* ---- the keys ---- */

Test(store, every_key_is_found_with_its_value_during_each_migration_and_after_it)
{
    struct store s = STORE_INIT;
    size_t n = 1000;

    for (size_t i = 1; i <= n; i++) {
        cr_assert(eq(int, store_put(&s, key_of(i), i), 0));
        if (s.old != NULL)
            assert_holds(&s, i, 1, "during a migration");
    }
    assert_holds(&s, n, 1, "after 1,000 puts");
    /* every key put again with a new value, some while they wait in an old array */
    cr_assert(eq(int, store_put(&s, key_of(n + 1), n + 1), 0));
    for (size_t i = 1; i <= n + 1; i++)
        cr_assert(eq(int, store_put(&s, key_of(i), 3 * i), 0));
    assert_holds(&s, n + 1, 3, "after each key was put again");
    store_free(&s);
}

/* ---- the pause ---- */

Test(store_pause, no_put_moves_more_than_STORE_MOVE_PER_PUT_keys_out_of_an_old_array)
{
    struct store s = STORE_INIT;
    size_t n = 2000, worst = 0, worst_at = 0;

    for (size_t i = 1; i <= n; i++) {
        const struct store_slot *slots = s.slots;
        size_t before = slots != NULL ? keys_in(s.slots, s.cap) : 0, moved;

        cr_assert(eq(int, store_put(&s, key_of(i), i), 0));
        /* the keys that appeared in the array new keys go to, less the put's own key */
        moved = keys_in(s.slots, s.cap) - (s.slots == slots ? before : 0) -
                holds_key(s.slots, s.cap, key_of(i));
        if (moved > worst) {
            worst = moved;
            worst_at = i;
        }
    }
    cr_assert(worst <= STORE_MOVE_PER_PUT,
              "put %zu moved %zu keys into the new array at once: a growth that moves every "
              "key makes that put as slow as the keys it moves; move at most %d a put, the "
              "rest over the puts after it", worst_at, worst, STORE_MOVE_PER_PUT);
    cr_assert(worst > 0, "no put moved a key: 2,000 keys grow the store from %d slots",
              STORE_MIN_SLOTS);
    assert_holds(&s, n, 1, "after the puts");
    store_free(&s);
}

Test(store_pause, each_growth_is_still_one_calloc_of_twice_the_slots_and_each_old_array_is_freed_once)
{
    struct store s = STORE_INIT;
    struct countalloc_stats start, d;
    size_t n = 5000, allocs = 0, bytes = 0, frees = 0;

    countalloc_measure_begin(&start);
    for (size_t i = 1; i <= n; i++) {
        size_t cap = s.cap;

        ALLOC_MEASURE(store_put(&s, key_of(i), i), d);
        frees += d.frees;
        if (s.cap == cap) {
            cr_assert(eq(u64, d.mallocs, 0), "put %zu did not grow the store, yet allocated", i);
            continue;
        }
        cr_assert(s.cap == (cap == 0 ? STORE_MIN_SLOTS : 2 * cap) && d.mallocs == 1 &&
                      d.total_alloc == s.cap * SLOT,
                  "put %zu grows the store from %zu slots: expected 1 allocation of %zu bytes "
                  "(%zu slots of %zu bytes); saw %llu allocations of %llu bytes", i, cap,
                  s.cap * SLOT, s.cap, SLOT, (unsigned long long)d.mallocs,
                  (unsigned long long)d.total_alloc);
        allocs++;
        bytes += s.cap * SLOT;
    }
    /* 5,000 keys: 8 -> 8,192 slots, 11 arrays; the put that grows to 8,192 (at 3,073)
     * leaves 1,024 puts to empty the old array: done by put 4,096 */
    d = countalloc_measure_end(&start);
    cr_assert(d.mallocs == allocs && d.total_alloc == bytes && d.frees == allocs - 1 &&
                  frees == allocs - 1,
              "expected %zu allocations of %zu bytes in all and each old array freed (%zu "
              "frees); saw %llu allocations of %llu bytes and %llu frees", allocs, bytes,
              allocs - 1, (unsigned long long)d.mallocs, (unsigned long long)d.total_alloc,
              (unsigned long long)d.frees);
    cr_assert(s.old == NULL && d.heap_alloc == (int64_t)(s.cap * SLOT),
              "one array left live, of %zu bytes; saw %lld bytes live", s.cap * SLOT,
              (long long)d.heap_alloc);
    store_free(&s);
}

/* ---- running out of memory ---- */

Test(store_failure, a_growth_that_cannot_allocate_returns_minus_one_and_changes_nothing)
{
    SKIP_WITHOUT_INJECTION();
    struct store s = STORE_INIT;
    size_t full = 768; /* 3/4 of 1,024 slots: the next key grows the store */
    struct countalloc_stats d;
    int rc;

    for (size_t i = 1; i <= full; i++)
        cr_assert(eq(int, store_put(&s, key_of(i), i), 0));
    while (s.old != NULL) /* puts of a key held: the migration of the last growth ends */
        cr_assert(eq(int, store_put(&s, key_of(1), 1), 0));
    cr_assert(s.cap == 1024, "768 keys fill 1,024 slots to 3/4; saw %zu slots", s.cap);
    struct store was = s;
    countalloc_fail_at(1, false);
    ALLOC_MEASURE(rc = store_put(&s, key_of(full + 1), full + 1), d);
    countalloc_fail_off();
    cr_assert(eq(int, rc, -1), "the growth could not allocate: store_put must return -1");
    cr_assert(d.frees == 0 && d.heap_alloc == 0 && d.heap_objects == 0,
              "a failed growth freed or leaked: %llu frees, %lld bytes left live",
              (unsigned long long)d.frees, (long long)d.heap_alloc);
    cr_assert(s.slots == was.slots && s.cap == was.cap && s.old == was.old &&
                  s.old_cap == was.old_cap && s.next == was.next && s.count == was.count,
              "a failed growth changed the store: it must be exactly as it was");
    assert_holds(&s, full, 1, "after the failed growth");
    cr_assert(eq(int, store_put(&s, key_of(full + 1), full + 1), 0), "usable again");
    assert_holds(&s, full + 1, 1, "after the growth, with memory back");
    store_free(&s);
}

static int sweep_store(void *ctx)
{
    size_t n = *(size_t *)ctx;
    struct store s = STORE_INIT;

    for (size_t i = 1; i <= n; i++)
        if (store_put(&s, key_of(i), i) != 0) {
            assert_holds(&s, i - 1, 1, "after a failed put");
            store_free(&s);
            return -1;
        }
    assert_holds(&s, n, 1, "the sweep's store");
    store_free(&s);
    return 0;
}

Test(store_failure, every_allocation_failed_in_turn_is_reported_loses_no_key_and_leaks_nothing)
{
    size_t n = 1000; /* 8 -> 2,048 slots: 9 arrays, the last migration under way at the end */

    ASSERT_SWEEP_CLEAN(sweep_store, &n);
}
