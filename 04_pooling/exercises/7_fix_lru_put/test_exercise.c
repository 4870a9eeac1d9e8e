/* test_exercise.c: cache_put of a new key is one allocation, the node and its key
 * together, and an eviction one free; a put whose allocation fails leaves the cache as it
 * was, full or not; gets and updates allocate nothing; the order after every get and put
 * is a plain model's; the OOM sweep. The bytes are worked out from each key's length and
 * exercise.h's struct cache_node. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "alloc_assert.h"
#include "countalloc.h"
#include "exercise.h"
#include "lru_model.h" /* the lesson's: snapshots and a plain model of an LRU cache */

/* The node's bytes before its key: a new key of len bytes is one block of NODE + len + 1. */
#define NODE offsetof(struct cache_node, key_inline)
_Static_assert(sizeof(struct cache_node) == NODE,
               "sizeof *n + len + 1 and offsetof(..., key_inline) + len + 1 agree");
_Static_assert(MODEL_KEY >= CACHE_KEY_MAX + 1, "a snapshot holds the longest key");

/* ---- snapshots and the model (lru_model.h) ---- */

static struct snap snapshot(const struct cache *c)
{
    struct snap s = {0};
    size_t n = cache_walk(c, visit, &s);

    cr_assert(eq(sz, n, s.n), "cache_walk returned %zu but visited %zu entries", n, s.n);
    return s;
}

static void assert_same(const struct snap *want, const struct snap *got, const char *what,
                        const char *means)
{
    char a[1024], b[1024];

    cr_assert(same(want, got), "%s: expected [%s], most recent first, saw [%s]: %s", what,
              show(want, a, sizeof a), show(got, b, sizeof b), means);
}

/* What a count that is off means. */
static const char *why(uint64_t mallocs, uint64_t want)
{
    if (mallocs == 2 * want)
        return "the node and the key's copy are allocated apart: put the key inline, in "
               "key_inline, and make one block of both";
    return mallocs > want ? "more allocations than the entry needs" : "";
}

/* A cache of cap entries, "k0" .. "k<n-1>" put into it (the oldest evicted past cap),
 * then the oldest left read, so that the order is not the order of the puts. */
static void fill(struct cache *c, size_t cap, size_t n)
{
    char key[CACHE_KEY_MAX + 1];

    cr_assert(eq(int, cache_init(c, cap), 0), "cache_init(%zu) failed", cap);
    for (size_t i = 0; i < n; i++) {
        snprintf(key, sizeof key, "k%zu", i);
        cr_assert(eq(int, cache_put(c, key, i * 10), 0), "put %s failed", key);
    }
    snprintf(key, sizeof key, "k%zu", n > cap ? n - cap : 0);
    cr_assert(cache_get(c, key, NULL), "%s, the oldest entry, is there", key);
}

/* ---- allocations ---- */

Test(lru_put, a_new_key_into_a_cache_with_room_is_one_allocation_of_the_node_and_its_key)
{
    struct cache c;
    struct countalloc_stats d;
    char key[CACHE_KEY_MAX + 1];
    int rc;

    cr_assert(eq(int, cache_init(&c, CACHE_KEY_MAX), 0));
    for (size_t len = 1; len <= CACHE_KEY_MAX; len++) { /* "a", "bb", "ccc", ... */
        memset(key, 'a' + (int)(len % 26), len);
        key[len] = '\0';
        ALLOC_MEASURE(rc = cache_put(&c, key, len), d);
        cr_assert(eq(int, rc, 0), "a put of a key of %zu B into a cache with room failed", len);
        cr_assert(d.mallocs == 1 && d.total_alloc == NODE + len + 1 && d.frees == 0,
                  "a new key of %zu B into a cache with room: expected 1 allocation of %zu B "
                  "(the node's %zu B, then the key and its NUL) and no free, saw %llu "
                  "allocation%s of %llu B and %llu free%s%s%s", len, NODE + len + 1, NODE,
                  (unsigned long long)d.mallocs, d.mallocs == 1 ? "" : "s",
                  (unsigned long long)d.total_alloc, (unsigned long long)d.frees,
                  d.frees == 1 ? "" : "s", *why(d.mallocs, 1) ? ": " : "", why(d.mallocs, 1));
    }
    cr_assert(eq(sz, c.len, CACHE_KEY_MAX));
    cache_free(&c);
}

Test(lru_put, a_new_key_into_a_full_cache_is_one_allocation_and_one_free_allocated_first)
{
    struct cache c;
    struct countalloc_stats d;
    char key[CACHE_KEY_MAX + 1];
    int rc;

    fill(&c, 4, 4);
    for (size_t i = 0; i < 12; i++) { /* keys of 3 to 25 bytes, each evicting the back */
        size_t len = 3 + 2 * i;
        struct snap was = snapshot(&c);
        size_t old = strlen(was.key[was.n - 1]); /* the evicted key's length */
        int64_t left = (int64_t)(NODE + len + 1) - (int64_t)(NODE + old + 1);

        memset(key, 'a' + (int)i, len);
        key[len] = '\0';
        ALLOC_MEASURE(rc = cache_put(&c, key, i), d);
        cr_assert(eq(int, rc, 0), "a put into a full cache failed");
        cr_assert(d.mallocs == 1 && d.total_alloc == NODE + len + 1,
                  "a new key of %zu B into a full cache: expected 1 allocation of %zu B, saw "
                  "%llu of %llu B%s%s", len, NODE + len + 1, (unsigned long long)d.mallocs,
                  (unsigned long long)d.total_alloc, *why(d.mallocs, 1) ? ": " : "",
                  why(d.mallocs, 1));
        cr_assert(d.frees == 1 && d.heap_alloc == left,
                  "a new key of %zu B evicting %s (%zu B): expected 1 free and %+lld B left "
                  "live, saw %llu free%s and %+lld B: %s", len, was.key[was.n - 1], old,
                  (long long)left, (unsigned long long)d.frees, d.frees == 1 ? "" : "s",
                  (long long)d.heap_alloc,
                  d.frees == 2 ? "the evicted entry was two blocks, its node and its key"
                               : "an eviction frees the evicted entry's one block");
        cr_assert(eq(i64, d.peak, (int64_t)(NODE + len + 1)),
                  "a new key of %zu B into a full cache: expected a peak of %zu B, the new "
                  "block live while the evicted one still is, saw %lld B: the put evicted "
                  "before it allocated, and a failed allocation there loses an entry", len,
                  NODE + len + 1, (long long)d.peak);
    }
    cache_free(&c);
}

Test(lru_put, gets_that_hit_or_miss_and_puts_that_update_allocate_nothing)
{
    struct cache c;
    bool hit;
    int rc;

    fill(&c, 4, 4);
    for (int i = 0; i < 100; i++) {
        ASSERT_NO_ALLOCS(hit = cache_get(&c, i % 2 ? "k1" : "k2", NULL));
        cr_assert(hit, "a get of a present key hits");
        ASSERT_NO_ALLOCS(hit = cache_get(&c, "absent", NULL));
        cr_assert(not(hit), "a get of an absent key misses");
        ASSERT_NO_ALLOCS(rc = cache_put(&c, i % 2 ? "k2" : "k3", (uint64_t)i));
        cr_assert(eq(int, rc, 0), "an update succeeds");
    }
    cr_assert(eq(sz, c.len, 4), "gets and updates add no entry");
    cache_free(&c);
}

Test(lru_put, cache_free_frees_one_block_per_entry_and_the_buckets)
{
    struct countalloc_stats start, d;
    struct cache c;

    countalloc_measure_begin(&start);
    fill(&c, 5, 9);
    ALLOC_MEASURE(cache_free(&c), d);
    cr_assert(d.frees == 5 + 1 && d.mallocs == 0,
              "cache_free of 5 entries: expected 6 frees, one block per entry and the "
              "buckets, saw %llu frees%s", (unsigned long long)d.frees,
              d.frees == 2 * 5 + 1 ? ": each entry is two blocks, its node and its key" : "");
    ASSERT_ALL_FREED_SINCE(&start, "init, 9 puts into 5 entries, a get, cache_free");
    cache_free(NULL);
}

/* ---- a failed put ---- */

/* A cache of cap entries filled with n puts; then a put of a new key with its 1st, 2nd ...
 * allocation failed in turn, until one succeeds: each failed put returns -1 (ENOMEM),
 * leaves the same keys, values and order, and leaks nothing. */
static void failed_put_changes_nothing(size_t cap, size_t n)
{
    struct cache c;
    struct countalloc_stats d;
    char what[96];
    uint64_t k, failed;
    int rc;

    fill(&c, cap, n);
    struct snap was = snapshot(&c);
    const char *lost = was.key[was.n - 1];
    for (k = 1;; k++) {
        int err;

        countalloc_fail_at(k, false);
        ALLOC_MEASURE(rc = cache_put(&c, "new", 99), d);
        err = errno;
        failed = countalloc_fail_off();
        if (failed == 0)
            break; /* the put made fewer than k allocations: it succeeded */
        snprintf(what, sizeof what, "a put into a cache of %zu holding %zu, allocation %llu "
                 "failed", cap, was.n, (unsigned long long)k);
        cr_assert(rc == -1 && err == ENOMEM, "%s: expected -1 and ENOMEM, saw %d and errno %d",
                  what, rc, err);
        struct snap now = snapshot(&c);
        char means[96];
        snprintf(means, sizeof means, "the put evicted %s before it allocated, and lost it",
                 lost);
        assert_same(&was, &now, what,
                    now.n < was.n ? means : "a failed put must change nothing");
        cr_assert(d.heap_alloc == 0 && d.heap_objects == 0,
                  "%s: expected the heap as it was, saw %+lld B in %+lld blocks: what the "
                  "put took must be freed", what, (long long)d.heap_alloc,
                  (long long)d.heap_objects);
    }
    cr_assert(k > 1, "a put of a new key made no allocation");
    cr_assert(eq(int, rc, 0), "with no allocation failed, the put succeeds");
    cr_assert(cache_get(&c, "new", NULL), "the cache is usable after the failed puts");
    cache_free(&c);
}

Test(lru_failure, a_failed_put_into_a_full_cache_leaves_the_same_keys_values_and_order)
{
    SKIP_WITHOUT_INJECTION();
    failed_put_changes_nothing(4, 4);
    failed_put_changes_nothing(4, 7);
    failed_put_changes_nothing(1, 3);
}

Test(lru_failure, a_failed_put_into_a_cache_with_room_leaves_the_same_keys_values_and_order)
{
    SKIP_WITHOUT_INJECTION();
    failed_put_changes_nothing(8, 5);
}

/* One whole run for the sweep: init, 300 gets and puts over 4 * cap keys, free. After a
 * put fails, the cache must hold what it held before it (checked here); the run stops. */
static int sweep_cache(void *ctx)
{
    const size_t *cap = ctx;
    struct cache c;
    uint64_t seed = 11;
    char key[CACHE_KEY_MAX + 1];
    int rc = 0;

    if (cache_init(&c, *cap) != 0)
        return -1;
    for (uint64_t i = 0; i < 300 && rc == 0; i++) {
        uint64_t x = shuffle_rand(&seed);

        snprintf(key, sizeof key, "key-%llu", (unsigned long long)((x >> 8) % (4 * *cap)));
        if (x & 1) {
            cache_get(&c, key, NULL);
            continue;
        }
        struct snap was = snapshot(&c);
        if ((rc = cache_put(&c, key, i)) != 0) {
            struct snap now = snapshot(&c);
            assert_same(&was, &now, "a put failed in the sweep",
                        "a failed put must change nothing");
        }
    }
    cache_free(&c);
    return rc;
}

Test(lru_failure, every_allocation_failed_in_turn_is_reported_and_leaks_nothing)
{
    size_t cap = 8;

    ASSERT_SWEEP_CLEAN(sweep_cache, &cap);
}

/* ---- the order ---- */

/* 5,000 gets and puts over a key space four times the capacity, checked against the model
 * after every operation: the same hits, the same entries in the same order. */
static void matches_the_model(size_t cap)
{
    struct cache c;
    struct model m = {.cap = cap};
    uint64_t seed = 7, v;
    char key[CACHE_KEY_MAX + 1], what[96];

    cr_assert(eq(int, cache_init(&c, cap), 0));
    for (uint64_t i = 0; i < 5000; i++) {
        uint64_t x = shuffle_rand(&seed);
        const char *op = x & 1 ? "get" : "put";

        snprintf(key, sizeof key, "key-%llu", (unsigned long long)((x >> 8) % (4 * cap)));
        snprintf(what, sizeof what, "a cache of %zu, after operation %llu (%s %s)", cap,
                 (unsigned long long)i, op, key);
        if (x & 1) {
            bool hit = cache_get(&c, key, &v), want = model_get(&m, key);

            cr_assert(hit == want, "%s: expected a %s, saw a %s", what, want ? "hit" : "miss",
                      hit ? "hit" : "miss");
        } else {
            cr_assert(eq(int, cache_put(&c, key, i), 0), "%s: the put failed", what);
            model_put(&m, key, i);
        }
        struct snap got = snapshot(&c);
        assert_same(&m.s, &got, what,
                    "a get or a put moves its key to the front; a new key into a full cache "
                    "evicts the back, the least recent");
    }
    cache_free(&c);
}

Test(lru_order, the_cache_matches_a_plain_model_after_every_get_and_put)
{
    static const size_t caps[] = {1, 2, 5, 16};

    for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++)
        matches_the_model(caps[i]);
}

/* ---- bad input ---- */

Test(lru_input, a_bad_capacity_or_a_key_longer_than_cache_key_max_is_refused_allocating_nothing)
{
    struct cache c;
    char longest[CACHE_KEY_MAX + 2];
    bool hit;
    int rc;

    ASSERT_NO_ALLOCS(rc = cache_init(&c, 0));
    cr_assert(rc == -1 && errno == EINVAL, "a capacity of 0: expected -1 and EINVAL");
    ASSERT_NO_ALLOCS(rc = cache_init(&c, (size_t)CACHE_CAP_MAX + 1));
    cr_assert(rc == -1 && errno == EINVAL, "a capacity past CACHE_CAP_MAX: expected -1, EINVAL");
    fill(&c, 2, 2);
    struct snap was = snapshot(&c);
    memset(longest, 'x', CACHE_KEY_MAX + 1);
    longest[CACHE_KEY_MAX + 1] = '\0';
    ASSERT_NO_ALLOCS(rc = cache_put(&c, longest, 3));
    cr_assert(rc == -1 && errno == EINVAL,
              "a key of CACHE_KEY_MAX + 1 bytes: expected -1 and EINVAL, saw %d", rc);
    ASSERT_NO_ALLOCS(hit = cache_get(&c, longest, NULL));
    cr_assert(not(hit), "a key too long is never present");
    struct snap now = snapshot(&c);
    assert_same(&was, &now, "after a key too long", "a refused put must change nothing");
    cache_free(&c);
}
