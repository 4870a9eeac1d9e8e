/* test_chaintab.c: the chained hash table of chaintab.h beside maptab.h's open addressing:
 * every key found, a node allocation per key and the bucket arrays worked out from N and the
 * growth rule, a delete that frees one node, failures that leave the table as it was, the
 * lookups' reads, and the demo's bad arguments and clean exit. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "alloc_assert.h"
#include "chaintab.h"
#include "cli_assert.h"
#include "countalloc.h"
#include "maptab.h"

#define NODE sizeof(struct chaintab_node)
#define HEAD sizeof(struct chaintab_node *)

/* What n keys put into a chained table must allocate, worked out from the rule: a node per
 * key, and the arrays: every size from CHAINTAB_MIN_BUCKETS up to b grown, one of b hinted. */
struct cost {
    uint64_t allocs, frees, bytes;
};

static struct cost chain_cost(size_t n, bool hinted)
{
    struct cost c = {n, 0, n * NODE};
    size_t b = chaintab_buckets_for(n);

    if (hinted)
        return (struct cost){c.allocs + 1, 0, c.bytes + b * HEAD};
    for (size_t s = CHAINTAB_MIN_BUCKETS; n > 0 && s <= b; s *= 2) {
        c.allocs++;
        c.bytes += s * HEAD;
        c.frees += s < b; /* every array but the last is freed by the next growth */
    }
    return c;
}

/* The same for maptab: its arrays alone, nothing per key. */
static struct cost open_cost(size_t n, bool hinted)
{
    struct cost c = {0, 0, 0};
    size_t cap = maptab_slots_for(n);

    if (hinted)
        return (struct cost){1, 0, cap * sizeof(struct maptab_slot)};
    for (size_t s = MAPTAB_MIN_SLOTS; n > 0 && s <= cap; s *= 2) {
        c.allocs++;
        c.bytes += s * sizeof(struct maptab_slot);
        c.frees += s < cap;
    }
    return c;
}

static void assert_cost(const struct countalloc_stats *d, struct cost c, const char *what, size_t n)
{
    cr_assert(d->mallocs == c.allocs && d->frees == c.frees && d->total_alloc == c.bytes,
              "%s, %zu keys: expected %llu allocations, %llu frees, %llu bytes; saw %llu, %llu, "
              "%llu", what, n, (unsigned long long)c.allocs, (unsigned long long)c.frees,
              (unsigned long long)c.bytes, (unsigned long long)d->mallocs,
              (unsigned long long)d->frees, (unsigned long long)d->total_alloc);
}

static void assert_holds(const struct chaintab *t, size_t n, const char *how)
{
    uint64_t v;

    cr_assert(eq(sz, t->count, n), "%s: %zu keys", how, n);
    for (size_t i = 1; i <= n; i++) {
        cr_assert(chaintab_get(t, maptab_key(i), &v), "%s: key %zu lost", how, i);
        cr_assert(eq(u64, v, i), "%s: key %zu's value", how, i);
    }
    cr_assert(not(chaintab_get(t, maptab_key(n + 1), NULL)), "%s: a key never put", how);
}

/* ---- the table ---- */

Test(chaintab, a_key_put_is_found_and_a_second_put_replaces_its_value_without_allocating)
{
    struct chaintab t = CHAINTAB_INIT;
    struct countalloc_stats start;
    uint64_t v = 0;
    bool found;

    countalloc_measure_begin(&start);
    ASSERT_NO_ALLOCS(found = chaintab_get(&t, 42, &v));
    cr_assert(not(found), "an empty table holds nothing");
    ASSERT_ALLOCS(chaintab_put(&t, 42, 1), 2, NODE + CHAINTAB_MIN_BUCKETS * HEAD);
    ASSERT_NO_ALLOCS(chaintab_put(&t, 42, 2));
    cr_assert(chaintab_get(&t, 42, &v) && v == 2, "the second put replaced the value");
    ASSERT_ALLOCS(chaintab_put(&t, 0, 7), 1, NODE); /* key 0 is a key like any other */
    cr_assert(chaintab_get(&t, 0, &v) && v == 7);
    cr_assert(eq(sz, t.count, 2));
    chaintab_free(&t);
    chaintab_free(&t); /* twice: the second finds CHAINTAB_INIT and does nothing */
    chaintab_free(NULL);
    ASSERT_ALL_FREED_SINCE(&start, "chaintab_free");
}

Test(chaintab, keys_that_share_a_bucket_stay_apart_and_are_found)
{
    struct chaintab t = CHAINTAB_INIT;
    uint64_t v;

    /* 8 keys in 8 buckets: unless each has one, some bucket holds two */
    for (uint64_t k = 1; k <= 8; k++)
        cr_assert(chaintab_put(&t, k * 8, k) == 0);
    cr_assert(eq(sz, t.nbuckets, CHAINTAB_MIN_BUCKETS), "8 keys fit in 8 buckets (a load of 1)");
    for (uint64_t k = 1; k <= 8; k++)
        cr_assert(chaintab_get(&t, k * 8, &v) && v == k, "key %llu", (unsigned long long)(k * 8));
    for (uint64_t k = 1; k <= 8; k++)
        cr_assert(chaintab_del(&t, k * 8), "key %llu deleted", (unsigned long long)(k * 8));
    cr_assert(eq(sz, t.count, 0));
    chaintab_free(&t);
}

Test(chaintab, the_buckets_for_n_keys_are_the_smallest_power_of_two_at_least_n)
{
    cr_assert(eq(sz, chaintab_buckets_for(0), 0));
    for (size_t n = 1; n <= 100000; n++) {
        size_t b = chaintab_buckets_for(n);

        cr_assert(b >= CHAINTAB_MIN_BUCKETS && (b & (b - 1)) == 0, "n = %zu: %zu buckets", n, b);
        cr_assert(n <= b, "n = %zu: %zu buckets is a load past 1", n, b);
        cr_assert(b == CHAINTAB_MIN_BUCKETS || n > b / 2, "n = %zu: %zu, half would do", n, b);
    }
    cr_assert(eq(sz, chaintab_buckets_for(SIZE_MAX), 0), "no array holds SIZE_MAX keys");
}

/* ---- what each insert allocates ---- */

Test(insert, each_new_key_is_one_node_and_a_growth_one_array_more_with_the_old_one_freed)
{
    struct chaintab t = CHAINTAB_INIT;

    for (size_t i = 1; i <= 5000; i++) {
        size_t before = t.nbuckets, want = chaintab_buckets_for(i);
        struct countalloc_stats d;

        ALLOC_MEASURE(chaintab_put(&t, maptab_key(i), i), d);
        if (want == before) {
            cr_assert(d.mallocs == 1 && d.total_alloc == NODE && d.frees == 0,
                      "key %zu: expected one node of %zu bytes, saw %llu allocations of %llu "
                      "bytes", i, NODE, (unsigned long long)d.mallocs,
                      (unsigned long long)d.total_alloc);
            continue;
        }
        cr_assert(eq(sz, t.nbuckets, before ? 2 * before : CHAINTAB_MIN_BUCKETS), "key %zu doubles", i);
        cr_assert(d.mallocs == 2 && d.total_alloc == NODE + t.nbuckets * HEAD,
                  "key %zu: expected a node and an array of %zu bytes, saw %llu allocations of "
                  "%llu bytes", i, t.nbuckets * HEAD, (unsigned long long)d.mallocs,
                  (unsigned long long)d.total_alloc);
        cr_assert(eq(u64, d.frees, before ? 1 : 0), "key %zu: the old array freed, no node", i);
        cr_assert(eq(i64, d.heap_alloc, (int64_t)(NODE + (t.nbuckets - before) * HEAD)),
                  "key %zu: the nodes were relinked, not reallocated", i);
    }
    assert_holds(&t, 5000, "grown");
    chaintab_free(&t);
}

static void check_n(size_t n)
{
    struct chaintab cg = CHAINTAB_INIT, ch;
    struct maptab mg = MAPTAB_INIT, mh;
    struct countalloc_stats d, start;
    int rc;

    countalloc_measure_begin(&start);
    ALLOC_MEASURE(rc = chaintab_fill(&cg, n), d);
    cr_assert(eq(int, rc, 0));
    assert_cost(&d, chain_cost(n, false), "chaining, grown", n);
    cr_assert(eq(i64, d.heap_alloc, (int64_t)(n * NODE + chaintab_buckets_for(n) * HEAD)),
              "the nodes and one array left live");
    ALLOC_MEASURE(rc = chaintab_init(&ch, n) == 0 ? chaintab_fill(&ch, n) : -1, d);
    cr_assert(eq(int, rc, 0));
    assert_cost(&d, chain_cost(n, true), "chaining, hinted", n);
    ALLOC_MEASURE(rc = maptab_fill(&mg, n), d);
    cr_assert(eq(int, rc, 0));
    assert_cost(&d, open_cost(n, false), "open addressing, grown", n);
    ALLOC_MEASURE(rc = maptab_init(&mh, n) == 0 ? maptab_fill(&mh, n) : -1, d);
    cr_assert(eq(int, rc, 0));
    assert_cost(&d, open_cost(n, true), "open addressing, hinted", n);
    assert_holds(&cg, n, "grown");
    assert_holds(&ch, n, "hinted");
    chaintab_free(&cg);
    chaintab_free(&ch);
    maptab_free(&mg);
    maptab_free(&mh);
    ASSERT_ALL_FREED_SINCE(&start, "every table freed");
}

Test(insert, n_keys_cost_chaining_n_nodes_plus_its_arrays_and_open_addressing_its_arrays_alone)
{
    static const size_t ns[] = {1, 7, 8, 9, 1000, 65536, 65537, 100000};

    for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++)
        check_n(ns[i]);
}

Test(chaintab, deleting_a_key_frees_exactly_its_node_and_keeps_the_array)
{
    struct chaintab t = CHAINTAB_INIT;
    struct countalloc_stats d;
    bool gone;

    cr_assert(chaintab_fill(&t, 100) == 0);
    size_t b = t.nbuckets;
    for (size_t i = 1; i <= 100; i += 3) {
        ALLOC_MEASURE(gone = chaintab_del(&t, maptab_key(i)), d);
        cr_assert(gone, "key %zu was held", i);
        cr_assert(d.mallocs == 0 && d.frees == 1 && d.heap_alloc == -(int64_t)NODE,
                  "key %zu: expected one free of a %zu-byte node, saw %llu allocations, %llu "
                  "frees, %lld bytes", i, NODE, (unsigned long long)d.mallocs,
                  (unsigned long long)d.frees, (long long)d.heap_alloc);
        cr_assert(not(chaintab_get(&t, maptab_key(i), NULL)));
        ASSERT_NO_ALLOCS(gone = chaintab_del(&t, maptab_key(i)));
        cr_assert(not(gone), "a key deleted twice");
    }
    cr_assert(eq(sz, t.nbuckets, b), "the array keeps its size");
    for (size_t i = 1; i <= 100; i++)
        cr_assert(chaintab_get(&t, maptab_key(i), NULL) == (i % 3 != 1), "key %zu", i);
    chaintab_free(&t);
}

/* ---- lookups: the nodes visited, worked out from the chains ---- */

Test(lookup, a_key_put_visits_its_place_in_its_chain_and_a_key_never_put_the_whole_chain)
{
    struct chaintab t = CHAINTAB_INIT;
    size_t n = 10000;
    uint64_t present = 0, absent = 0, want_present = 0, want_absent = 0;

    cr_assert(chaintab_fill(&t, n) == 0);
    /* a chain of k nodes: its keys visit 1 + 2 + ... + k nodes */
    for (size_t i = 0; i < t.nbuckets; i++) {
        uint64_t k = 0;

        for (const struct chaintab_node *p = t.buckets[i]; p != NULL; p = p->next)
            k++;
        want_present += k * (k + 1) / 2;
    }
    for (size_t i = 1; i <= n; i++) {
        size_t len = 0;

        for (const struct chaintab_node *p = t.buckets[maptab_hash(maptab_key(n + i)) & (t.nbuckets - 1)];
             p != NULL; p = p->next)
            len++;
        want_absent += len;
        present += chaintab_probes(&t, maptab_key(i));
        absent += chaintab_probes(&t, maptab_key(n + i));
    }
    cr_assert(eq(u64, present, want_present), "the nodes visited finding every key put");
    cr_assert(eq(u64, absent, want_absent), "the nodes visited for keys never put");
    chaintab_free(&t);
}

/* ---- failure ---- */

/* The table's shape: its array, its size, its count and every chain's nodes in order. */
#define SNAP_MAX 64
struct snap {
    struct chaintab_node **buckets;
    size_t nbuckets, count, nodes;
    const struct chaintab_node *order[SNAP_MAX];
};

static void snap(const struct chaintab *t, struct snap *s)
{
    s->buckets = t->buckets;
    s->nbuckets = t->nbuckets;
    s->count = t->count;
    s->nodes = 0;
    for (size_t i = 0; i < t->nbuckets; i++)
        for (const struct chaintab_node *p = t->buckets[i]; p != NULL; p = p->next)
            if (s->nodes < SNAP_MAX)
                s->order[s->nodes++] = p;
}

static bool same(const struct snap *a, const struct snap *b)
{
    return a->buckets == b->buckets && a->nbuckets == b->nbuckets && a->count == b->count &&
           a->nodes == b->nodes && memcmp(a->order, b->order, a->nodes * sizeof a->order[0]) == 0;
}

/* Fill to `full` keys, then fail the put of one more at its k-th allocation. */
static void fail_put_at(size_t full, unsigned k, const char *what)
{
    struct chaintab t = CHAINTAB_INIT;
    struct snap before, after;
    struct countalloc_stats d;
    int rc;

    cr_assert(chaintab_fill(&t, full) == 0);
    snap(&t, &before);
    countalloc_fail_at(k, false);
    ALLOC_MEASURE(rc = chaintab_put(&t, maptab_key(full + 1), full + 1), d);
    countalloc_fail_at(0, false);
    cr_assert(eq(int, rc, -1), "%s: chaintab_put returns -1", what);
    cr_assert(eq(int, errno, ENOMEM), "%s", what);
    cr_assert(d.heap_alloc == 0 && d.heap_objects == 0, "%s: %lld bytes in %lld blocks leaked",
              what, (long long)d.heap_alloc, (long long)d.heap_objects);
    snap(&t, &after);
    cr_assert(same(&before, &after), "%s: the table changed (array, count or chains)", what);
    assert_holds(&t, full, what);
    cr_assert(eq(int, chaintab_put(&t, maptab_key(full + 1), full + 1), 0), "%s: usable again", what);
    assert_holds(&t, full + 1, what);
    chaintab_free(&t);
}

Test(chaintab_failure, a_failed_node_or_a_failed_growth_leaves_the_table_exactly_as_it_was)
{
    SKIP_WITHOUT_INJECTION();
    fail_put_at(10, 1, "the node of a put that does not grow");
    fail_put_at(16, 1, "the node of a put that grows");
    fail_put_at(16, 2, "the array of a put that grows (its node freed)");
}

Test(chaintab_failure, a_failed_or_impossible_hint_leaves_the_handle_as_it_was)
{
    SKIP_WITHOUT_INJECTION();
    struct chaintab t = {(struct chaintab_node **)&t, 99, 99}; /* a sentinel */
    int rc;

    countalloc_fail_at(1, false);
    cr_assert(eq(int, chaintab_init(&t, 1000), -1));
    countalloc_fail_at(0, false);
    cr_assert(eq(int, errno, ENOMEM));
    cr_assert(t.buckets == (struct chaintab_node **)&t && t.nbuckets == 99 && t.count == 99,
              "a failed chaintab_init changed the handle");
    ASSERT_NO_ALLOCS(rc = chaintab_init(&t, SIZE_MAX));
    cr_assert(eq(int, rc, -1));
    cr_assert(eq(int, errno, EINVAL));
    cr_assert(t.buckets == (struct chaintab_node **)&t && t.nbuckets == 99 && t.count == 99,
              "an impossible hint changed the handle");
}

static int sweep_grown(void *ctx)
{
    struct chaintab t = CHAINTAB_INIT;
    int rc = chaintab_fill(&t, *(size_t *)ctx);

    chaintab_free(&t);
    return rc;
}

static int sweep_hinted(void *ctx)
{
    struct chaintab t;
    int rc;

    if (chaintab_init(&t, *(size_t *)ctx) != 0)
        return -1;
    rc = chaintab_fill(&t, *(size_t *)ctx * 4); /* past the hint: it grows from there */
    chaintab_free(&t);
    return rc;
}

Test(chaintab_failure, every_allocation_of_either_build_failed_in_turn_is_reported_and_leaks_nothing)
{
    size_t n = 100; /* grown: 100 nodes and 5 arrays; hinted with 100 and filled to 400: 1 + 2 arrays */

    ASSERT_SWEEP_CLEAN(sweep_grown, &n);
    ASSERT_SWEEP_CLEAN(sweep_hinted, &n);
}

/* ---- the program ---- */

Test(chain_program, bad_arguments_get_one_line_and_exit_status_2)
{
    static const char *const bad[] = {"abc", "0", "-5", "10000001", "1x", "--bogus",
                                      "99999999999999999999999", "1 2"};

    ASSERT_BAD_ARGUMENTS("demo/chain", "N", bad);
}

Test(chain_program, the_demo_frees_everything_it_took)
{
    cli_assert_frees_everything("demo/chain", "1000");
}
