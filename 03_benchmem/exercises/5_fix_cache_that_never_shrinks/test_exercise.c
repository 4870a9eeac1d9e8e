/* test_exercise.c: the session cache's contents, the array its expire leaves (its bytes
 * worked out from maptab_slots_for and the 16-byte slot), when it must not shrink, and an
 * expire whose shrink cannot allocate. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "alloc_assert.h"
#include "countalloc.h"
#include "exercise.h"

#define SLOT sizeof(struct maptab_slot)
#define EARLY 10 /* the expired sessions' time, and the expire's now */
#define LATE 20  /* the kept sessions' time */

/* Sessions 1..n, each expiring EARLY but those whose id is a multiple of every: LATE. So
 * an expire at EARLY keeps n / every of them. 0, or -1 when an add failed. */
static int add_burst(struct cache *c, size_t n, size_t every)
{
    for (size_t i = 1; i <= n; i++)
        if (cache_add(c, i, i % every == 0 ? LATE : EARLY) != 0)
            return -1;
    return 0;
}

/* c holds exactly the kept sessions of add_burst(n, every). */
static void assert_kept(const struct cache *c, size_t n, size_t every, const char *how)
{
    cr_assert(eq(sz, c->tab.count, n / every), "%s: expected %zu sessions left, saw %zu", how,
              n / every, c->tab.count);
    for (size_t i = 1; i <= n; i++) {
        bool held = cache_has(c, i);

        cr_assert(held == (i % every == 0), "%s: session %zu %s", how, i,
                  held ? "expired but is still found" : "was kept but is lost");
    }
}

/* ---- what the cache holds ---- */

Test(cache, sessions_are_found_until_an_expire_removes_them)
{
    struct cache c = CACHE_INIT;
    size_t n = 12; /* 3/4 of 16 slots: long runs, so deletes shift keys across the wrap */

    /* session i expires at 1 + 5i mod 12: each time from 1 to 12 once, id 0 included */
    for (uint64_t i = 0; i < n; i++)
        cr_assert(eq(int, cache_add(&c, i, 1 + i * 5 % n), 0));
    for (uint64_t now = 0; now <= n; now++) {
        size_t removed = cache_expire(&c, now);

        cr_assert(eq(sz, removed, now == 0 ? 0 : 1), "expire at %llu: one session's time",
                  (unsigned long long)now);
        for (uint64_t i = 0; i < n; i++)
            cr_assert(cache_has(&c, i) == (1 + i * 5 % n > now),
                      "after the expire at %llu: session %llu (time %llu) %s",
                      (unsigned long long)now, (unsigned long long)i,
                      (unsigned long long)(1 + i * 5 % n),
                      cache_has(&c, i) ? "expired but is still found" : "was lost too soon");
    }
    cr_assert(eq(sz, c.tab.count, 0));
    cache_free(&c);
}

Test(cache, every_kept_session_is_found_and_no_expired_one_after_a_burst_expires)
{
    struct cache c = CACHE_INIT;
    size_t n = 100000, every = 100;

    cr_assert(add_burst(&c, n, every) == 0, "the burst's adds");
    cr_assert(eq(sz, cache_expire(&c, EARLY), n - n / every), "the expire's count");
    assert_kept(&c, n, every, "after the expire");
    cr_assert(eq(sz, cache_expire(&c, LATE), n / every), "a later expire takes the rest");
    assert_kept(&c, n, n + 1, "after the later expire");
    cache_free(&c);
}

/* ---- the array the expire leaves ---- */

Test(cache_shrink, after_a_burst_of_100000_sessions_the_1000_kept_hold_an_array_sized_for_1000)
{
    struct cache c = CACHE_INIT;
    size_t n = 100000, every = 100, kept = n / every, removed;
    size_t big = maptab_slots_for(n), small = maptab_slots_for(kept);
    struct countalloc_stats d;

    cr_assert(add_burst(&c, n, every) == 0, "the burst's adds");
    cr_assert(eq(sz, c.tab.cap, big), "%zu sessions: the table grew to %zu slots", n, big);
    ALLOC_MEASURE(removed = cache_expire(&c, EARLY), d);
    cr_assert(eq(sz, removed, n - kept));
    cr_assert(d.mallocs == 1 && d.total_alloc == small * SLOT && d.frees == 1,
              "expiring %zu of %zu sessions: expected 1 allocation of %zu bytes (%zu slots of "
              "%zu bytes for %zu sessions) and 1 free, of the %zu-slot array; saw %llu "
              "allocations of %llu bytes and %llu frees%s",
              n - kept, n, small * SLOT, small, SLOT, kept, big,
              (unsigned long long)d.mallocs, (unsigned long long)d.total_alloc,
              (unsigned long long)d.frees,
              d.mallocs == 0 ? ": the cache still holds the array it grew for the burst" : "");
    cr_assert(eq(i64, d.heap_alloc, -(int64_t)((big - small) * SLOT)),
              "the heap falls by the big array less the small one: %zu bytes",
              (big - small) * SLOT);
    cr_assert(eq(sz, c.tab.cap, small), "%zu sessions left in %zu slots", kept, small);

    /* shrunk: more than 1/8 full, so an expire that removes nothing costs nothing */
    ALLOC_MEASURE(removed = cache_expire(&c, EARLY), d);
    cr_assert(removed == 0 && d.mallocs == 0 && d.frees == 0,
              "a second expire at the same time: expected nothing removed, allocated or "
              "freed; saw %zu removed, %llu allocations and %llu frees (a shrunk table "
              "must not be rehashed again)", removed, (unsigned long long)d.mallocs,
              (unsigned long long)d.frees);
    cache_free(&c);
}

Test(cache_shrink, a_cache_that_never_grew_big_does_not_shrink_when_half_its_sessions_expire)
{
    struct cache c = CACHE_INIT;
    size_t n = 100, every = 2, kept = n / every, cap = maptab_slots_for(n);
    struct countalloc_stats d;

    /* the case is the one to test: more than 1/8 full after the expire, yet a
     * maptab_shrink would find a smaller array for what is left */
    cr_assert(kept >= cap / CACHE_SHRINK_BELOW && maptab_slots_for(kept) < cap);
    cr_assert(add_burst(&c, n, every) == 0, "the burst's adds");
    ALLOC_MEASURE(cache_expire(&c, EARLY), d);
    cr_assert(d.mallocs == 0 && d.frees == 0,
              "%zu of %zu sessions kept in %zu slots, more than 1/%d of them: expected no "
              "allocation and no free; saw %llu allocations of %llu bytes and %llu frees (a "
              "rehash on every expire that keeps half: shrink only under 1/%d)",
              kept, n, cap, CACHE_SHRINK_BELOW, (unsigned long long)d.mallocs,
              (unsigned long long)d.total_alloc, (unsigned long long)d.frees,
              CACHE_SHRINK_BELOW);
    cr_assert(eq(sz, c.tab.cap, cap), "the array keeps its %zu slots", cap);
    assert_kept(&c, n, every, "after the expire");
    cache_free(&c);
}

Test(cache_shrink, a_cache_emptied_by_an_expire_gives_its_whole_array_back)
{
    struct cache c = CACHE_INIT;
    size_t n = 1000, cap = maptab_slots_for(n);
    struct countalloc_stats d;

    cr_assert(add_burst(&c, n, n + 1) == 0, "the burst's adds"); /* none kept */
    ALLOC_MEASURE(cache_expire(&c, EARLY), d);
    cr_assert(d.mallocs == 0 && d.frees == 1 && d.heap_alloc == -(int64_t)(cap * SLOT),
              "every session expired: expected no allocation and 1 free of the %zu-slot "
              "array (%zu bytes); saw %llu allocations, %llu frees and the heap moved by "
              "%lld bytes%s", cap, cap * SLOT, (unsigned long long)d.mallocs,
              (unsigned long long)d.frees, (long long)d.heap_alloc,
              d.frees == 0 ? ": an empty cache still holds its array" : "");
    cr_assert(c.tab.slots == NULL && c.tab.cap == 0, "the table is MAPTAB_INIT again");
    ASSERT_ALLOCS(cache_add(&c, 1, LATE), 1, MAPTAB_MIN_SLOTS * SLOT); /* usable: grows again */
    cr_assert(cache_has(&c, 1));
    cache_free(&c);
}

/* ---- running out of memory ---- */

Test(cache_failure, an_expire_whose_shrink_cannot_allocate_still_succeeds_and_loses_no_session)
{
    SKIP_WITHOUT_INJECTION();
    struct cache c = CACHE_INIT;
    size_t n = 10000, every = 100, kept = n / every, removed;
    size_t big = maptab_slots_for(n), small = maptab_slots_for(kept);
    struct countalloc_stats d;
    uint64_t failed;

    cr_assert(add_burst(&c, n, every) == 0, "the burst's adds");
    countalloc_fail_at(1, false);
    ALLOC_MEASURE(removed = cache_expire(&c, EARLY), d);
    failed = countalloc_fail_off();
    cr_assert(eq(u64, failed, 1),
              "expected the expire to ask for the smaller array, and that allocation to "
              "fail; %llu allocations failed%s", (unsigned long long)failed,
              failed == 0 ? ": the expire never tried to shrink" : "");
    cr_assert(eq(sz, removed, n - kept), "an expire whose shrink failed still removes and "
              "counts the %zu expired sessions", n - kept);
    cr_assert(d.frees == 0 && d.heap_alloc == 0 && d.heap_objects == 0,
              "a failed shrink must free nothing and leak nothing; saw %llu frees, %lld "
              "bytes in %lld blocks left live", (unsigned long long)d.frees,
              (long long)d.heap_alloc, (long long)d.heap_objects);
    cr_assert(eq(sz, c.tab.cap, big), "the big array is kept: %zu slots", big);
    assert_kept(&c, n, every, "after the failed shrink");

    /* the next expire tries again */
    ALLOC_MEASURE(removed = cache_expire(&c, EARLY), d);
    cr_assert(removed == 0 && d.mallocs == 1 && d.total_alloc == small * SLOT && d.frees == 1,
              "the next expire, with memory back: expected nothing removed, 1 allocation of "
              "%zu bytes (%zu slots) and 1 free; saw %zu removed, %llu allocations of %llu "
              "bytes and %llu frees", small * SLOT, small, removed,
              (unsigned long long)d.mallocs, (unsigned long long)d.total_alloc,
              (unsigned long long)d.frees);
    assert_kept(&c, n, every, "after the next expire");
    cache_free(&c);
}

/* The whole job under the sweep: a burst of 1,000, an expire that keeps 1 in 10 (an
 * array of maptab_slots_for(1,000) slots, under 1/8 full: a shrink). A failed add is
 * reported; a failed shrink is absorbed, as the contract says, so the job checks the
 * cache itself: every kept session found, no expired one, either array. */
static int sweep_cache(void *ctx)
{
    size_t n = *(size_t *)ctx, every = 10;
    struct cache c = CACHE_INIT;
    int rc = add_burst(&c, n, every);

    if (rc == 0) {
        size_t big = c.tab.cap;

        cr_assert(eq(sz, cache_expire(&c, EARLY), n - n / every));
        cr_assert(c.tab.cap == big || c.tab.cap == maptab_slots_for(n / every),
                  "%zu slots after the expire: neither the %zu of the burst nor the %zu "
                  "for the sessions left", c.tab.cap, big, maptab_slots_for(n / every));
        assert_kept(&c, n, every, "after the expire");
    }
    cache_free(&c);
    return rc;
}

Test(cache_failure, every_allocation_failed_in_turn_loses_no_session_and_leaks_nothing)
{
    size_t n = 1000;

    ASSERT_SWEEP_ABSORBS(sweep_cache, &n);
}
