/* test_queue.c: the FIFO of queue.h as a linked list and as a ring: the same items out in
 * the order they went in, the allocations, frees, bytes and peak worked out from the
 * operations and the growth rule, the steady state that allocates nothing, failures that
 * leave either queue as it was, and the demo's bad arguments. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <errno.h>
#include <string.h>

#include "alloc_assert.h"
#include "cli_assert.h"
#include "countalloc.h"
#include "queue.h"

#define NODE sizeof(struct qlist_node)
#define SLOT sizeof(uint64_t)

/* What a run of n items in bursts of `burst` must cost, worked out from the rules. */
struct cost {
    uint64_t allocs, frees, bytes;
    int64_t peak;
};

/* The list: a node per push, freed at its pop; at most one burst's nodes live at once. */
static struct cost list_cost(uint64_t n, uint64_t burst)
{
    uint64_t most = burst < n ? burst : n;

    return (struct cost){n, n, n * NODE, (int64_t)(most * NODE)};
}

/* The ring from empty: an array of every size from QRING_MIN_SLOTS up to the slots one
 * burst needs, each but the last freed at the next growth; at its highest, the last
 * growth's old array and new array together. */
static struct cost ring_cost(uint64_t n, uint64_t burst)
{
    struct cost c = {0, 0, 0, 0};
    size_t cap = qring_slots_for(burst < n ? burst : n);

    for (size_t s = QRING_MIN_SLOTS; s <= cap; s *= 2) {
        c.allocs++;
        c.bytes += s * SLOT;
    }
    c.frees = c.allocs - 1;
    c.peak = (int64_t)((cap > QRING_MIN_SLOTS ? cap + cap / 2 : cap) * SLOT);
    return c;
}

static void assert_cost(const struct countalloc_stats *d, struct cost want, const char *what)
{
    cr_assert(d->mallocs == want.allocs && d->frees == want.frees &&
                  d->total_alloc == want.bytes && d->peak == want.peak,
              "%s: expected %llu allocations, %llu frees, %llu bytes, peak %lld B; saw %llu, "
              "%llu, %llu bytes, peak %lld B",
              what, (unsigned long long)want.allocs, (unsigned long long)want.frees,
              (unsigned long long)want.bytes, (long long)want.peak,
              (unsigned long long)d->mallocs, (unsigned long long)d->frees,
              (unsigned long long)d->total_alloc, (long long)d->peak);
}

/* n items in bursts of b through the list q or the ring r (the other NULL), measured
 * around the run; every item must come out once. what[64] names the run. */
static struct countalloc_stats run_measured(struct qlist *q, struct qring *r, uint64_t n,
                                            uint64_t b, char *what)
{
    struct countalloc_stats start, d;
    uint64_t sum = 0;
    int rc;

    countalloc_measure_begin(&start);
    rc = q != NULL ? qlist_run(q, n, b, &sum) : qring_run(r, n, b, &sum);
    d = countalloc_measure_end(&start);
    snprintf(what, 64, "%s, %llu items in bursts of %llu", q != NULL ? "list" : "ring",
             (unsigned long long)n, (unsigned long long)b);
    cr_assert(eq(int, rc, 0), "%s", what);
    cr_assert(eq(u64, sum, n * (n + 1) / 2), "%s: every item once", what);
    return d;
}

static const uint64_t sizes[][2] = {{1, 1}, {7, 3}, {8, 8}, {9, 9}, {1000, 1},
                                    {1000, 64}, {1000, 100}, {100000, 1000}, {5000, 5000}};

/* ---- the list ---- */

Test(queue_list, items_come_out_in_the_order_they_went_in)
{
    struct qlist q = QLIST_INIT;
    uint64_t v;

    for (uint64_t i = 1; i <= 10; i++)
        cr_assert(eq(int, qlist_push(&q, i * 3), 0));
    cr_assert(eq(sz, q.len, 10));
    for (uint64_t i = 1; i <= 10; i++) {
        cr_assert(qlist_pop(&q, &v), "item %llu", (unsigned long long)i);
        cr_assert(eq(u64, v, i * 3));
    }
    cr_assert(not(qlist_pop(&q, &v)), "an empty list pops nothing");
    cr_assert(q.head == NULL && q.tail == NULL && q.len == 0);
}

Test(queue_list, each_push_is_one_malloc_of_a_node_and_each_pop_one_free)
{
    struct qlist q = QLIST_INIT;
    struct countalloc_stats d;
    bool popped;

    ASSERT_ALLOCS(qlist_push(&q, 1), 1, NODE);
    ASSERT_ALLOCS(qlist_push(&q, 2), 1, NODE);
    ALLOC_MEASURE(popped = qlist_pop(&q, NULL), d);
    cr_assert(popped && d.mallocs == 0 && d.frees == 1 && d.heap_alloc == -(int64_t)NODE,
              "a pop frees its node: saw %llu frees, heap %+lld B",
              (unsigned long long)d.frees, (long long)d.heap_alloc);
    ALLOC_MEASURE(qlist_free(&q), d);
    cr_assert(d.frees == 1 && d.heap_alloc == -(int64_t)NODE, "qlist_free frees the last node");
    qlist_free(&q);
    qlist_free(NULL);
}

Test(queue_list, n_items_in_bursts_cost_n_mallocs_n_frees_and_a_burst_of_nodes_at_the_peak)
{
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        struct qlist q = QLIST_INIT;
        uint64_t n = sizes[i][0], b = sizes[i][1];
        char what[64];
        struct countalloc_stats d = run_measured(&q, NULL, n, b, what);

        assert_cost(&d, list_cost(n, b), what);
    }
}

/* ---- the ring ---- */

Test(queue_ring, the_slots_for_n_items_are_the_smallest_power_of_two_from_the_minimum)
{
    cr_assert(eq(sz, qring_slots_for(0), QRING_MIN_SLOTS));
    for (size_t n = 1; n <= 100000; n++) {
        size_t cap = qring_slots_for(n);

        cr_assert(cap >= n && (cap & (cap - 1)) == 0, "n = %zu: %zu slots", n, cap);
        cr_assert(cap == QRING_MIN_SLOTS || cap / 2 < n, "n = %zu: %zu slots, half would do",
                  n, cap);
    }
    cr_assert(eq(sz, qring_slots_for(SIZE_MAX), 0), "no array holds SIZE_MAX items");
}

Test(queue_ring, a_growth_copies_the_items_in_order_even_when_they_wrap_around)
{
    struct qring r = QRING_INIT;
    uint64_t v, next = 1, want = 1;

    /* head moved to the middle, then filled: the items wrap past the array's end */
    for (int i = 0; i < 5; i++)
        cr_assert(eq(int, qring_push(&r, next++), 0));
    for (int i = 0; i < 3; i++)
        cr_assert(qring_pop(&r, &v) && v == want++);
    while (r.len < r.cap)
        cr_assert(eq(int, qring_push(&r, next++), 0));
    cr_assert(eq(sz, r.cap, QRING_MIN_SLOTS));
    cr_assert(r.head + r.len > r.cap, "the items wrap around");
    ASSERT_ALLOCS(qring_push(&r, next++), 1, 2 * QRING_MIN_SLOTS * SLOT);
    cr_assert(eq(sz, r.cap, 2 * QRING_MIN_SLOTS));
    cr_assert(eq(sz, r.head, 0), "after a growth the oldest item is at slot 0");
    cr_assert(eq(sz, r.growths, 1));
    while (qring_pop(&r, &v))
        cr_assert(eq(u64, v, want++), "out of order after the growth");
    cr_assert(eq(u64, want, next), "every item came out");
    qring_free(&r);
}

Test(queue_ring, each_growth_allocates_twice_the_slots_and_frees_the_old_array)
{
    struct qring r = QRING_INIT;
    struct countalloc_stats d;
    int rc;

    ASSERT_ALLOCS(qring_push(&r, 1), 1, QRING_MIN_SLOTS * SLOT);
    for (size_t cap = QRING_MIN_SLOTS; cap <= 1024; cap *= 2) {
        while (r.len < cap)
            ASSERT_NO_ALLOCS(qring_push(&r, r.len + 1));
        ALLOC_MEASURE(rc = qring_push(&r, r.len + 1), d);
        cr_assert(eq(int, rc, 0));
        cr_assert(d.mallocs == 1 && d.frees == 1 && d.total_alloc == 2 * cap * SLOT,
                  "growth from %zu slots: expected 1 allocation of %zu B and 1 free, saw %llu "
                  "of %llu B and %llu", cap, 2 * cap * SLOT, (unsigned long long)d.mallocs,
                  (unsigned long long)d.total_alloc, (unsigned long long)d.frees);
        /* the peak is measured above the heap before the push, which held the old array:
         * the new one on top of it, both live at once */
        cr_assert(eq(i64, d.peak, (int64_t)(2 * cap * SLOT)), "old and new arrays at once");
        cr_assert(eq(i64, d.heap_alloc, (int64_t)(cap * SLOT)), "the array doubled");
    }
    qring_free(&r);
}

Test(queue_ring, n_items_in_bursts_cost_one_array_per_size_up_to_a_burst_and_no_more)
{
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        struct qring r = QRING_INIT;
        uint64_t n = sizes[i][0], b = sizes[i][1];
        struct cost want = ring_cost(n, b);
        char what[64];
        struct countalloc_stats d = run_measured(NULL, &r, n, b, what);

        assert_cost(&d, want, what);
        cr_assert(eq(sz, r.growths, want.allocs - 1), "%s: growths", what);
        qring_free(&r);
    }
}

Test(queue_ring, once_grown_the_ring_allocates_nothing_however_many_items_go_through)
{
    struct qring r = QRING_INIT;
    uint64_t sum = 0;
    int rc;

    cr_assert(eq(int, qring_run(&r, 1000, 100, &sum), 0));
    size_t cap = r.cap;
    for (uint64_t n = 1; n <= 1000000; n *= 10) {
        ASSERT_NO_ALLOCS(rc = qring_run(&r, n, 100, &sum));
        cr_assert(eq(int, rc, 0));
    }
    cr_assert(eq(sz, r.cap, cap), "the ring kept its array");
    qring_free(&r);
}

Test(queue_ring, a_ring_made_with_a_hint_is_one_allocation_and_never_grows_up_to_it)
{
    struct qring r;
    uint64_t sum = 0;
    int rc;

    ASSERT_ALLOCS(rc = qring_init(&r, 1000, QRING_GROW), 1, 1024 * SLOT);
    cr_assert(eq(int, rc, 0));
    ASSERT_NO_ALLOCS(rc = qring_run(&r, 100000, 1000, &sum));
    cr_assert(eq(int, rc, 0));
    cr_assert(eq(sz, r.growths, 0));
    struct countalloc_stats d;
    ALLOC_MEASURE(qring_free(&r), d);
    cr_assert(d.frees == 1 && d.heap_alloc == -(int64_t)(1024 * SLOT), "qring_free frees the array");
    qring_free(&r);
    qring_free(NULL);
}

Test(queue_ring, a_full_fixed_ring_refuses_a_push_and_stays_as_it_was)
{
    struct qring r;
    uint64_t v, want = 1;
    int rc;

    cr_assert(eq(int, qring_init(&r, QRING_MIN_SLOTS, QRING_FIXED), 0));
    for (uint64_t i = 1; i <= QRING_MIN_SLOTS; i++)
        cr_assert(eq(int, qring_push(&r, i), 0));
    uint64_t *slots = r.slots;
    ASSERT_NO_ALLOCS(rc = qring_push(&r, 99));
    cr_assert(eq(int, rc, -1), "a full fixed ring refuses");
    cr_assert(eq(int, errno, ENOBUFS));
    cr_assert(r.slots == slots && r.cap == QRING_MIN_SLOTS && r.len == QRING_MIN_SLOTS);
    cr_assert(qring_pop(&r, &v) && v == want++);
    cr_assert(eq(int, qring_push(&r, QRING_MIN_SLOTS + 1), 0), "room again after a pop");
    while (qring_pop(&r, &v))
        cr_assert(eq(u64, v, want++));
    cr_assert(eq(u64, want, QRING_MIN_SLOTS + 2));
    qring_free(&r);
}

Test(queue_ring, an_impossible_hint_or_a_burst_of_zero_is_refused)
{
    struct qring r = QRING_INIT;
    struct qlist q = QLIST_INIT;
    uint64_t sum = 0;
    int rc;

    ASSERT_NO_ALLOCS(rc = qring_init(&r, SIZE_MAX, QRING_GROW));
    cr_assert(eq(int, rc, -1));
    cr_assert(eq(int, errno, EINVAL));
    cr_assert(r.slots == NULL && r.cap == 0, "the handle changed");
    cr_assert(eq(int, qring_run(&r, 10, 0, &sum), -1));
    cr_assert(eq(int, errno, EINVAL));
    cr_assert(eq(int, qlist_run(&q, 10, 0, &sum), -1));
    cr_assert(eq(int, errno, EINVAL));
}

/* ---- failure ---- */

Test(queue_failure, a_failed_growth_leaves_the_ring_as_it_was_and_usable)
{
    SKIP_WITHOUT_INJECTION();
    struct qring r = QRING_INIT;
    struct countalloc_stats d;
    uint64_t v, want = 1;
    int rc;

    for (uint64_t i = 1; i <= 2 * QRING_MIN_SLOTS; i++)
        cr_assert(eq(int, qring_push(&r, i), 0));
    struct qring was = r;
    uint64_t copy[2 * QRING_MIN_SLOTS];
    memcpy(copy, r.slots, sizeof copy);
    countalloc_fail_at(1, false);
    ALLOC_MEASURE(rc = qring_push(&r, 99), d);
    countalloc_fail_at(0, false);
    cr_assert(eq(int, rc, -1), "the growth failed: qring_push returns -1");
    cr_assert(eq(int, errno, ENOMEM));
    cr_assert(d.heap_alloc == 0 && d.heap_objects == 0, "the failed growth leaked");
    cr_assert(r.slots == was.slots && r.cap == was.cap && r.head == was.head &&
                  r.len == was.len && r.growths == was.growths,
              "the ring changed");
    cr_assert(memcmp(copy, r.slots, sizeof copy) == 0, "the items changed");
    cr_assert(eq(int, qring_push(&r, 2 * QRING_MIN_SLOTS + 1), 0), "usable again");
    cr_assert(eq(sz, r.cap, 4 * QRING_MIN_SLOTS));
    while (qring_pop(&r, &v))
        cr_assert(eq(u64, v, want++));
    cr_assert(eq(u64, want, 2 * QRING_MIN_SLOTS + 2));
    qring_free(&r);
}

Test(queue_failure, a_failed_push_leaves_the_list_as_it_was_and_usable)
{
    SKIP_WITHOUT_INJECTION();
    struct qlist q = QLIST_INIT;
    struct countalloc_stats d;
    uint64_t v, want = 1;
    int rc;

    for (uint64_t i = 1; i <= 3; i++)
        cr_assert(eq(int, qlist_push(&q, i), 0));
    struct qlist was = q;
    countalloc_fail_at(1, false);
    ALLOC_MEASURE(rc = qlist_push(&q, 99), d);
    countalloc_fail_at(0, false);
    cr_assert(eq(int, rc, -1));
    cr_assert(eq(int, errno, ENOMEM));
    cr_assert(d.heap_alloc == 0 && d.heap_objects == 0, "the failed push leaked");
    cr_assert(q.head == was.head && q.tail == was.tail && q.len == was.len &&
                  q.tail->next == NULL,
              "the list changed");
    cr_assert(eq(int, qlist_push(&q, 4), 0), "usable again");
    while (qlist_pop(&q, &v))
        cr_assert(eq(u64, v, want++));
    cr_assert(eq(u64, want, 5));
}

/* One whole run for the sweep: n items in bursts through a list, a ring from empty, or a
 * ring made with a hint of 10 and filled past it. */
enum sweep_queue { SWEEP_LIST, SWEEP_RING, SWEEP_RING_HINTED };

struct sweep_job {
    enum sweep_queue queue;
    uint64_t n, burst;
};

static int sweep_queue(void *ctx)
{
    const struct sweep_job *j = ctx;
    struct qlist q = QLIST_INIT;
    struct qring r = QRING_INIT;
    uint64_t sum = 0;
    int rc;

    if (j->queue == SWEEP_LIST) {
        rc = qlist_run(&q, j->n, j->burst, &sum);
        qlist_free(&q);
        return rc;
    }
    if (j->queue == SWEEP_RING_HINTED && qring_init(&r, 10, QRING_GROW) != 0)
        return -1;
    rc = qring_run(&r, j->n, j->burst, &sum);
    qring_free(&r);
    return rc;
}

Test(queue_failure, every_allocation_of_either_queue_failed_in_turn_is_reported_and_leaks_nothing)
{
    /* list: 200 nodes; ring: 5 arrays from empty, 1 + 3 from a hint of 10 */
    struct sweep_job list = {SWEEP_LIST, 200, 7}, ring = {SWEEP_RING, 200, 100},
                     hinted = {SWEEP_RING_HINTED, 200, 100};

    ASSERT_SWEEP_CLEAN(sweep_queue, &list);
    ASSERT_SWEEP_CLEAN(sweep_queue, &ring);
    ASSERT_SWEEP_CLEAN(sweep_queue, &hinted);
}

/* ---- the program ---- */

Test(queue_program, bad_arguments_get_one_line_and_exit_status_2)
{
    static const char *const bad_n[] = {"abc", "0", "-5", "1000000001", "1x", "--bogus",
                                        "99999999999999999999999"};
    static const char *const bad_b[] = {"10 0", "10 -1", "10 100000001", "10 b", "10 2x"};
    static const char *const extra[] = {"1 2 3"};

    ASSERT_BAD_ARGUMENTS("demo/queue", "N", bad_n);
    ASSERT_BAD_ARGUMENTS("demo/queue", "B", bad_b);
    ASSERT_BAD_ARGUMENTS("demo/queue", "queue", extra);
}
