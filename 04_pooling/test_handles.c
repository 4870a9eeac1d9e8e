/* test_handles.c: the slot map of handle.h. Stale handles (removed, slot reused, index out
 * of range, 0) resolve to NULL; a second remove is refused; handles survive a growth; a
 * slot whose generation would wrap is retired; the allocations are the growths alone,
 * worked out from the number of inserts; a failed growth leaves the map as it was. And
 * demo/handles: its bad arguments, a run that frees everything. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "alloc_assert.h"
#include "cli_assert.h"
#include "countalloc.h"
#include "handle.h"
#include "shuffle.h"

static struct hobj obj(uint64_t id)
{
    return (struct hobj){.id = id, .value = id * 10};
}

/* The growths of n inserts into an empty map, from the rule: the first makes HMAP_MIN_CAP
 * slots, each next one doubles, and one happens whenever the inserts fill the array. */
static unsigned growths(size_t n)
{
    unsigned g = 0;
    size_t cap = HMAP_MIN_CAP;

    if (n == 0)
        return 0;
    for (g = 1; cap < n; g++)
        cap *= 2;
    return g;
}

/* The bytes those growths ask for: 8, 16, ... slots. */
static size_t growth_bytes(size_t n)
{
    size_t bytes = 0, cap = HMAP_MIN_CAP;

    for (unsigned g = growths(n); g > 0; g--, cap *= 2)
        bytes += cap * sizeof(struct hslot);
    return bytes;
}

/* ---- stale handles ---- */

Test(handles, a_removed_objects_handle_resolves_to_null)
{
    struct hmap m = HMAP_INIT;
    uint64_t h = hmap_insert(&m, obj(1));

    cr_assert(h != 0 && hmap_get(&m, h) != NULL && hmap_get(&m, h)->id == 1);
    cr_assert(eq(int, hmap_remove(&m, h), 0));
    cr_assert(hmap_get(&m, h) == NULL, "a removed object's handle must resolve to NULL");
    hmap_destroy(&m);
}

Test(handles, a_handle_to_a_reused_slot_resolves_to_null_and_the_new_handle_to_the_new_object)
{
    struct hmap m = HMAP_INIT;
    uint64_t h1, h2;
    struct hobj *p;

    h1 = hmap_insert(&m, obj(1));
    p = hmap_get(&m, h1);
    hmap_remove(&m, h1);
    h2 = hmap_insert(&m, obj(2));
    cr_assert(eq(u32, handle_index(h2), handle_index(h1)), "the freed slot is reused first");
    cr_assert(p->id == 2, "the pointer kept reads the slot's new object: %llu",
              (unsigned long long)p->id);
    cr_assert(hmap_get(&m, h1) == NULL, "the old handle must not resolve to the new object");
    cr_assert(hmap_get(&m, h2) == p && p->id == 2);
    hmap_destroy(&m);
}

Test(handles, zero_an_index_out_of_range_and_a_free_slots_generation_resolve_to_null)
{
    struct hmap m = HMAP_INIT;
    uint64_t h;

    cr_assert(hmap_get(&m, 0) == NULL, "0 in an empty map");
    h = hmap_insert(&m, obj(1));
    hmap_insert(&m, obj(2));
    cr_assert(hmap_get(&m, 0) == NULL, "0 is never a handle, even with slot 0 live");
    cr_assert(hmap_get(&m, handle_make(2, 1)) == NULL, "index 2: past the slots used");
    cr_assert(hmap_get(&m, handle_make(m.cap, 1)) == NULL, "index cap: past the array");
    cr_assert(hmap_get(&m, handle_make(UINT32_MAX, 1)) == NULL, "the largest index");
    hmap_remove(&m, h);
    cr_assert(hmap_get(&m, handle_make(0, 2)) == NULL, "the free slot's own (even) generation");
    cr_assert(eq(int, hmap_remove(&m, 0), -1));
    hmap_destroy(&m);
}

Test(handles, a_second_remove_of_a_handle_is_refused_and_changes_nothing)
{
    struct hmap m = HMAP_INIT, before;
    uint64_t h1, h2;
    int rc;

    h1 = hmap_insert(&m, obj(1));
    h2 = hmap_insert(&m, obj(2));
    cr_assert(eq(int, hmap_remove(&m, h1), 0));
    before = m;
    errno = 0;
    ASSERT_NO_ALLOCS(rc = hmap_remove(&m, h1));
    cr_assert(rc == -1 && errno == EINVAL, "expected -1 and EINVAL, saw %d, %d", rc, errno);
    cr_assert(memcmp(&m, &before, sizeof m) == 0, "a refused remove leaves the map as it was");
    cr_assert(eq(u32, m.live, 1));
    /* had it been freed twice, slot 0 would be on the free list twice: two inserts would
     * share it */
    uint64_t a = hmap_insert(&m, obj(3)), b = hmap_insert(&m, obj(4));
    cr_assert(handle_index(a) != handle_index(b), "two live objects in one slot");
    cr_assert(hmap_get(&m, h2)->id == 2 && hmap_get(&m, a)->id == 3 && hmap_get(&m, b)->id == 4);
    hmap_destroy(&m);
}

Test(handles, every_stale_handle_of_a_long_shuffled_run_resolves_to_null)
{
    enum { N = 2000 };
    struct hmap m = HMAP_INIT;
    static uint64_t h[N];
    static bool live[N];
    uint64_t seed = 7;

    for (int k = 0; k < 20 * N; k++) {
        int i = (int)(shuffle_rand(&seed) % N);
        if (live[i]) {
            cr_assert(eq(int, hmap_remove(&m, h[i]), 0));
            cr_assert(hmap_get(&m, h[i]) == NULL);
            live[i] = false;
        } else {
            uint64_t old = h[i];
            h[i] = hmap_insert(&m, obj((uint64_t)i));
            cr_assert(h[i] != 0);
            cr_assert(old == 0 || hmap_get(&m, old) == NULL, "a stale handle resolved");
            live[i] = true;
        }
    }
    for (int i = 0; i < N; i++)
        cr_assert(live[i] ? hmap_get(&m, h[i])->id == (uint64_t)i : hmap_get(&m, h[i]) == NULL);
    hmap_destroy(&m);
}

/* ---- growth ---- */

Test(handles_growth, every_handle_resolves_after_each_growth_and_the_objects_moved)
{
    struct hmap m = HMAP_INIT;
    uint64_t h[100];

    for (uint32_t i = 0; i < 100; i++) {
        struct hslot *old = m.slots;
        uint32_t cap = m.cap;

        h[i] = hmap_insert(&m, obj(i));
        if (m.cap != cap && cap != 0)
            cr_assert(m.slots != old, "a growth moves the array");
        for (uint32_t j = 0; j <= i; j++)
            cr_assert(hmap_get(&m, h[j]) != NULL && hmap_get(&m, h[j])->id == j,
                      "after insert %u, handle %u lost its object", i, j);
    }
    hmap_destroy(&m);
}

/* ---- allocations ---- */

Test(handles_allocs, n_inserts_are_the_growths_alone_and_gets_removes_and_reinserts_allocate_nothing)
{
    static const size_t ns[] = {1, 7, 8, 9, 16, 17, 100, 1000, 4097};

    for (size_t k = 0; k < sizeof ns / sizeof ns[0]; k++) {
        size_t n = ns[k];
        struct hmap m = HMAP_INIT;
        uint64_t *h = malloc(n * sizeof *h);
        struct countalloc_stats b, d;

        cr_assert(h != NULL);
        countalloc_measure_begin(&b);
        for (size_t i = 0; i < n; i++)
            h[i] = hmap_insert(&m, obj(i));
        d = countalloc_measure_end(&b);
        cr_assert(d.mallocs == growths(n) && d.total_alloc == growth_bytes(n),
                  "n %zu: expected %u allocations of %zu B in all (the growths), saw %llu of %llu",
                  n, growths(n), growth_bytes(n), (unsigned long long)d.mallocs,
                  (unsigned long long)d.total_alloc);
        cr_assert(eq(u64, d.frees, growths(n) - 1), "n %zu: each growth but the first frees the old array", n);
        cr_assert(eq(u32, hmap_growths_for(n), growths(n)));
        struct hobj *o;
        for (size_t i = 0; i < n; i++) {
            ASSERT_NO_ALLOCS(o = hmap_get(&m, h[i]));
            cr_assert(o != NULL && o->id == i);
        }
        for (size_t i = 0; i < n; i += 2)
            ASSERT_NO_ALLOCS(hmap_remove(&m, h[i]));
        for (size_t i = 0; i < n; i += 2)
            ASSERT_NO_ALLOCS(h[i] = hmap_insert(&m, obj(i)));
        for (size_t i = 0; i < n; i++) {
            ASSERT_NO_ALLOCS(o = hmap_get(&m, h[i]));
            cr_assert(o != NULL && o->id == i, "n %zu: handle %zu after the reinserts", n, i);
        }
        ASSERT_ALLOCS(hmap_destroy(&m), 0, 0);
        free(h);
    }
}

Test(handles_allocs, destroy_frees_the_array_and_the_map_can_be_used_again)
{
    struct hmap m = HMAP_INIT;
    uint64_t h;

    ASSERT_NO_LEAK({
        for (int i = 0; i < 20; i++)
            hmap_insert(&m, obj((uint64_t)i));
        hmap_destroy(&m);
    });
    cr_assert(m.slots == NULL && m.cap == 0 && m.len == 0 && m.free_head == 0);
    h = hmap_insert(&m, obj(5));
    cr_assert(hmap_get(&m, h)->id == 5);
    hmap_destroy(&m);
}

/* ---- the generation's wrap ---- */

Test(handles_wrap, a_slot_whose_generation_would_wrap_is_retired_and_never_reused)
{
    struct hmap m = HMAP_INIT;
    uint64_t h, old, h2;

    h = hmap_insert(&m, obj(1));
    /* 2^31 - 1 inserts and removes in slot 0, made at once: the live generation is now
     * the last odd one */
    m.slots[0].gen = UINT32_MAX;
    old = handle_make(0, 1);
    h = handle_make(0, UINT32_MAX);
    cr_assert(hmap_get(&m, h) != NULL && hmap_get(&m, old) == NULL);
    cr_assert(eq(int, hmap_remove(&m, h), 0));
    cr_assert(eq(u32, m.retired, 1));
    cr_assert(eq(u32, m.free_head, 0), "the retired slot is not on the free list");
    cr_assert(hmap_get(&m, h) == NULL, "the last handle is stale");
    h2 = hmap_insert(&m, obj(2));
    cr_assert(eq(u32, handle_index(h2), 1), "the next insert takes a new slot, not slot 0");
    cr_assert(hmap_get(&m, old) == NULL && hmap_get(&m, handle_make(0, 1)) == NULL,
              "generation 1 of slot 0, from 2^31 lifetimes ago, must not resolve");
    cr_assert(eq(int, hmap_remove(&m, h), -1), "a retired slot cannot be removed again");
    hmap_destroy(&m);
}

Test(handles_wrap, the_generation_before_the_last_still_goes_back_on_the_free_list)
{
    struct hmap m = HMAP_INIT;
    uint64_t h;

    hmap_insert(&m, obj(1));
    m.slots[0].gen = UINT32_MAX - 2;
    cr_assert(eq(int, hmap_remove(&m, handle_make(0, UINT32_MAX - 2)), 0));
    cr_assert(eq(u32, m.retired, 0));
    h = hmap_insert(&m, obj(2));
    cr_assert(eq(u64, h, handle_make(0, UINT32_MAX)), "slot 0 reused with the last odd generation");
    hmap_destroy(&m);
}

/* ---- out of memory ---- */

/* Every handle of h[0..n) resolves to its object (id i, value 10 i), or, where live[i] is
 * false, to NULL. */
static bool map_holds(const struct hmap *m, const uint64_t *h, const bool *live, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const struct hobj *o = hmap_get(m, h[i]);
        if (live[i] ? o == NULL || o->id != i || o->value != i * 10 : o != NULL)
            return false;
    }
    return true;
}

Test(handles_oom, a_failed_growth_returns_0_with_enomem_and_leaves_every_object_and_handle)
{
    enum { N = 64 };
    struct hmap m = HMAP_INIT, before;
    uint64_t h[N + 1], r;
    bool live[N + 1] = {false};
    int err;

    SKIP_WITHOUT_INJECTION();
    for (size_t i = 0; i < N; i++) {
        h[i] = hmap_insert(&m, obj(i));
        live[i] = true;
    }
    for (size_t i = 0; i < N; i += 3) { /* remove a third, then put them back */
        hmap_remove(&m, h[i]);
        live[i] = false;
    }
    for (size_t i = 0; i < N; i += 3) {
        uint64_t old = h[i];
        h[i] = hmap_insert(&m, obj(i));
        live[i] = true;
        cr_assert(hmap_get(&m, old) == NULL);
    }
    cr_assert(m.len == m.cap && m.free_head == 0, "the array is full: the next insert grows");
    before = m;
    countalloc_fail_at(1, false);
    r = hmap_insert(&m, obj(N));
    err = errno;
    countalloc_fail_off();
    cr_assert(r == 0 && err == ENOMEM, "expected 0 and ENOMEM, saw %llu, %d",
              (unsigned long long)r, err);
    cr_assert(memcmp(&m, &before, sizeof m) == 0, "a failed insert leaves the map as it was");
    cr_assert(map_holds(&m, h, live, N), "every object and handle as before the failed insert");
    h[N] = hmap_insert(&m, obj(N)); /* and the map still works */
    live[N] = true;
    cr_assert(h[N] != 0 && map_holds(&m, h, live, N + 1));
    hmap_destroy(&m);
}

/* A map through three growths, with removes and reinserts between; at each failed insert,
 * the map must be exactly as it was before it, every handle resolving as before. */
static int sweep_map(void *ctx)
{
    enum { N = 40 };
    struct hmap m = HMAP_INIT, before;
    uint64_t h[N];
    bool live[N] = {false};

    (void)ctx;
    for (size_t i = 0; i < N; i++) {
        before = m;
        h[i] = hmap_insert(&m, obj(i));
        if (h[i] == 0) {
            cr_assert(memcmp(&m, &before, sizeof m) == 0 && map_holds(&m, h, live, i),
                      "insert %zu failed and changed the map", i);
            hmap_destroy(&m);
            return -1;
        }
        live[i] = true;
        if (i % 4 == 3) { /* remove one, reinsert it: the free slot, no allocation */
            hmap_remove(&m, h[i - 1]);
            h[i - 1] = hmap_insert(&m, obj(i - 1));
            if (h[i - 1] == 0) {
                hmap_destroy(&m);
                return -1; /* cannot happen: a free slot was there */
            }
        }
    }
    hmap_destroy(&m);
    return 0;
}

Test(handles_oom, every_allocation_failed_in_turn_is_reported_and_leaks_nothing)
{
    ASSERT_SWEEP_CLEAN(sweep_map, NULL);
}

/* ---- the program ---- */

Test(handles_program, bad_arguments_get_one_line_and_exit_status_2)
{
    static const char *const bad_n[] = {"abc", "0", "15", "-5", "1000001", "1x", "--bogus",
                                        "99999999999999999999999"};
    static const char *const extra[] = {"16 17"};

    ASSERT_BAD_ARGUMENTS("demo/handles", "N", bad_n);
    ASSERT_BAD_ARGUMENTS("demo/handles", "handles", extra);
}

Test(handles_program, a_run_frees_everything_it_took)
{
    cli_assert_frees_everything("demo/handles", "100");
}
