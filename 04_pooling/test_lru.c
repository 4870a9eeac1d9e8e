/* test_lru.c: the LRU caches of lru.h, textbook and intrusive: the recency order after
 * each kind of operation, checked against a plain model; an eviction takes exactly the
 * least recently used entry; the allocations worked out from the keys (textbook: 3 per new
 * key, 3 frees per eviction, none per get or update; intrusive: 1 at init, then none);
 * failed puts that leave the cache as it was, and the wrong order that loses an entry; the
 * sweeps; the demo's bad arguments and a run that frees everything. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "alloc_assert.h"
#include "cli_assert.h"
#include "countalloc.h"
#include "lru.h"
#include "lru_model.h"

_Static_assert(MODEL_KEY >= LRU_KEY_MAX + 1, "a snapshot holds the longest key");

#define HNODE sizeof(struct lrut_hnode)
#define LNODE sizeof(struct lrut_list)
#define ENTRY sizeof(struct lrui_entry)

/* ---- both ways behind the same calls ---- */

struct way {
    const char *name;
    int (*init)(void *c, size_t cap);
    bool (*get)(void *c, const char *key, uint64_t *val);
    int (*put)(void *c, const char *key, uint64_t val);
    size_t (*walk)(const void *c, lru_visit_fn *fn, void *ctx);
    void (*free)(void *c);
};

static int t_init(void *c, size_t cap) { return lrut_init(c, cap); }
static bool t_get(void *c, const char *k, uint64_t *v) { return lrut_get(c, k, v); }
static int t_put(void *c, const char *k, uint64_t v) { return lrut_put(c, k, v); }
static size_t t_walk(const void *c, lru_visit_fn *fn, void *x) { return lrut_walk(c, fn, x); }
static void t_free(void *c) { lrut_free(c); }
static int i_init(void *c, size_t cap) { return lrui_init(c, cap); }
static bool i_get(void *c, const char *k, uint64_t *v) { return lrui_get(c, k, v); }
static int i_put(void *c, const char *k, uint64_t v) { return lrui_put(c, k, v); }
static size_t i_walk(const void *c, lru_visit_fn *fn, void *x) { return lrui_walk(c, fn, x); }
static void i_free(void *c) { lrui_free(c); }

static const struct way textbook = {"textbook", t_init, t_get, t_put, t_walk, t_free};
static const struct way intrusive = {"intrusive", i_init, i_get, i_put, i_walk, i_free};

/* Room for either cache. */
union cache {
    struct lrut t;
    struct lrui i;
};

/* ---- snapshots (lru_model.h), through either way ---- */

static struct snap snapshot(const struct way *w, const void *c)
{
    struct snap s = {0};
    size_t n = w->walk(c, visit, &s);

    cr_assert(eq(sz, n, s.n), "%s: the walk's count and its visits differ", w->name);
    return s;
}

static void assert_same(const struct way *w, const struct snap *want, const struct snap *got,
                        const char *what)
{
    char a[1024], b[1024];

    cr_assert(same(want, got), "%s, %s: expected [%s], saw [%s]", w->name, what,
              show(want, a, sizeof a), show(got, b, sizeof b));
}

/* ---- the order ---- */

static void puts_then_gets_keep_the_order(const struct way *w)
{
    union cache c;
    struct snap want = {0};
    uint64_t v;

    cr_assert(eq(int, w->init(&c, 3), 0));
    cr_assert(eq(int, w->put(&c, "a", 1), 0));
    cr_assert(eq(int, w->put(&c, "b", 2), 0));
    cr_assert(eq(int, w->put(&c, "c", 3), 0));
    want = (struct snap){3, {"c", "b", "a"}, {3, 2, 1}};
    struct snap got = snapshot(w, &c);
    assert_same(w, &want, &got, "three puts: the last put first");

    cr_assert(w->get(&c, "a", &v) && v == 1, "%s: a get finds a", w->name);
    want = (struct snap){3, {"a", "c", "b"}, {1, 3, 2}};
    got = snapshot(w, &c);
    assert_same(w, &want, &got, "a get moves its entry to the front");

    cr_assert(not(w->get(&c, "zz", &v)), "%s: a get of an absent key misses", w->name);
    got = snapshot(w, &c);
    assert_same(w, &want, &got, "a miss changes nothing");

    cr_assert(eq(int, w->put(&c, "b", 20), 0));
    want = (struct snap){3, {"b", "a", "c"}, {20, 1, 3}};
    got = snapshot(w, &c);
    assert_same(w, &want, &got, "an update replaces the value and moves it to the front");

    cr_assert(eq(int, w->put(&c, "d", 4), 0));
    want = (struct snap){3, {"d", "b", "a"}, {4, 20, 1}};
    got = snapshot(w, &c);
    assert_same(w, &want, &got, "a new key into a full cache evicts the least recent (c)");
    cr_assert(not(w->get(&c, "c", NULL)), "%s: the evicted key is gone", w->name);
    w->free(&c);
}

Test(lru_order, each_kind_of_operation_leaves_the_textbook_cache_in_recency_order)
{
    puts_then_gets_keep_the_order(&textbook);
}

Test(lru_order, each_kind_of_operation_leaves_the_intrusive_cache_in_recency_order)
{
    puts_then_gets_keep_the_order(&intrusive);
}

/* 20,000 gets and puts over a key space four times the capacity, checked against the
 * model after every operation: the same hits, the same entries in the same order. */
static void matches_the_model(const struct way *w, size_t cap)
{
    union cache c;
    struct model m = {.cap = cap};
    uint64_t seed = 7, v;
    char key[LRU_KEY_MAX + 1];

    cr_assert(eq(int, w->init(&c, cap), 0));
    for (uint64_t i = 0; i < 20000; i++) {
        uint64_t x = shuffle_rand(&seed);

        snprintf(key, sizeof key, "key-%llu", (unsigned long long)((x >> 8) % (4 * cap)));
        if (x & 1) {
            bool hit = w->get(&c, key, &v);

            cr_assert(eq(int, hit, model_get(&m, key)), "%s, op %llu: get %s", w->name,
                      (unsigned long long)i, key);
        } else {
            cr_assert(eq(int, w->put(&c, key, i), 0));
            model_put(&m, key, i);
        }
        struct snap got = snapshot(w, &c);
        char what[64];
        snprintf(what, sizeof what, "after op %llu", (unsigned long long)i);
        assert_same(w, &m.s, &got, what);
    }
    w->free(&c);
}

Test(lru_order, the_textbook_cache_matches_a_plain_model_after_every_operation)
{
    for (size_t cap = 1; cap <= 17; cap += 8)
        matches_the_model(&textbook, cap);
}

Test(lru_order, the_intrusive_cache_matches_a_plain_model_after_every_operation)
{
    for (size_t cap = 1; cap <= 17; cap += 8)
        matches_the_model(&intrusive, cap);
}

/* ---- the textbook way's allocations ---- */

Test(lru_textbook, a_new_key_is_three_mallocs_and_an_eviction_three_frees_of_the_evicted_entry)
{
    struct lrut c;
    struct countalloc_stats d;
    char key[LRU_KEY_MAX + 1];
    int rc;

    ASSERT_ALLOCS(rc = lrut_init(&c, 5), 1, lru_buckets_for(5) * sizeof(void *));
    cr_assert(eq(int, rc, 0));
    /* keys of 1 to 5 bytes, then each evicting the oldest: "a", "bb", "ccc", ... */
    for (size_t i = 0; i < 12; i++) {
        size_t len = i + 1, old = i >= 5 ? i - 5 + 1 : 0; /* the evicted key's length */

        memset(key, 'a' + (int)i, len);
        key[len] = '\0';
        ALLOC_MEASURE(rc = lrut_put(&c, key, i), d);
        cr_assert(eq(int, rc, 0));
        cr_assert(d.mallocs == 3 && d.total_alloc == HNODE + LNODE + len + 1,
                  "a new key of %zu B: expected 3 allocations of %zu B, saw %llu of %llu B", len,
                  HNODE + LNODE + len + 1, (unsigned long long)d.mallocs,
                  (unsigned long long)d.total_alloc);
        uint64_t frees = i >= 5 ? 3 : 0;
        int64_t freed = i >= 5 ? (int64_t)(HNODE + LNODE + old + 1) : 0;
        cr_assert(d.frees == frees && d.heap_alloc == (int64_t)(HNODE + LNODE + len + 1) - freed,
                  "put %zu into a cache of 5 holding %zu: expected %llu frees and %+lld B "
                  "left, saw %llu and %+lld B", i + 1, i < 5 ? i : 5,
                  (unsigned long long)frees, (long long)(HNODE + LNODE + len + 1) - freed,
                  (unsigned long long)d.frees, (long long)d.heap_alloc);
        /* the peak: the new entry's blocks on top of the evicted one's, all live at once */
        cr_assert(eq(i64, d.peak, (int64_t)(HNODE + LNODE + len + 1)),
                  "allocated before the eviction: the peak holds both entries");
    }
    cr_assert(eq(sz, c.len, 5));
    cr_assert(eq(u64, c.n.evictions, 7));
    ALLOC_MEASURE(lrut_free(&c), d);
    cr_assert(d.frees == 3 * 5 + 1 && d.mallocs == 0,
              "lrut_free: 3 blocks per entry and the buckets, saw %llu frees",
              (unsigned long long)d.frees);
    lrut_free(NULL);
}

Test(lru_textbook, gets_hits_or_misses_and_updates_allocate_nothing)
{
    struct lrut c;
    bool hit;
    int rc;

    cr_assert(eq(int, lrut_init(&c, 4), 0));
    cr_assert(eq(int, lrut_put(&c, "one", 1), 0));
    cr_assert(eq(int, lrut_put(&c, "two", 2), 0));
    for (int i = 0; i < 100; i++) {
        ASSERT_NO_ALLOCS(hit = lrut_get(&c, i % 2 ? "one" : "two", NULL));
        cr_assert(hit);
        ASSERT_NO_ALLOCS(hit = lrut_get(&c, "three", NULL));
        cr_assert(not(hit));
        ASSERT_NO_ALLOCS(rc = lrut_put(&c, i % 2 ? "two" : "one", (uint64_t)i));
        cr_assert(eq(int, rc, 0));
    }
    cr_assert(eq(u64, c.n.hits, 100));
    cr_assert(eq(u64, c.n.misses, 100));
    cr_assert(eq(u64, c.n.updates, 100));
    lrut_free(&c);
}

Test(lru_textbook, n_new_keys_cost_3n_mallocs_and_3_frees_for_each_past_the_capacity)
{
    static const size_t caps[] = {1, 2, 10, 64, 100};
    static const uint64_t counts[] = {1, 10, 100, 1000};
    char key[LRU_KEY_MAX + 1];

    for (size_t a = 0; a < sizeof caps / sizeof caps[0]; a++) {
        for (size_t b = 0; b < sizeof counts / sizeof counts[0]; b++) {
            struct lrut c;
            struct countalloc_stats start, d;
            uint64_t n = counts[b], bytes = 0, want_frees = n > caps[a] ? 3 * (n - caps[a]) : 0;
            int rc = 0;

            cr_assert(eq(int, lrut_init(&c, caps[a]), 0));
            countalloc_measure_begin(&start);
            for (uint64_t i = 0; i < n && rc == 0; i++) {
                int len = snprintf(key, sizeof key, "key%llu", (unsigned long long)i);

                bytes += HNODE + LNODE + (uint64_t)len + 1;
                rc = lrut_put(&c, key, i);
            }
            d = countalloc_measure_end(&start);
            cr_assert(eq(int, rc, 0));
            cr_assert(d.mallocs == 3 * n && d.frees == want_frees && d.total_alloc == bytes,
                      "%llu new keys into a cache of %zu: expected %llu allocations of %llu B "
                      "and %llu frees, saw %llu of %llu B and %llu",
                      (unsigned long long)n, caps[a], (unsigned long long)(3 * n),
                      (unsigned long long)bytes, (unsigned long long)want_frees,
                      (unsigned long long)d.mallocs, (unsigned long long)d.total_alloc,
                      (unsigned long long)d.frees);
            lrut_free(&c);
        }
    }
}

/* ---- the intrusive way's allocations ---- */

Test(lru_intrusive, init_is_one_malloc_of_the_entries_and_the_buckets)
{
    static const size_t caps[] = {1, 2, 3, 1000, 1024, 1025};

    for (size_t a = 0; a < sizeof caps / sizeof caps[0]; a++) {
        struct lrui c;
        struct countalloc_stats d;
        int rc;

        ASSERT_ALLOCS(rc = lrui_init(&c, caps[a]), 1,
                      caps[a] * ENTRY + lru_buckets_for(caps[a]) * sizeof(int32_t));
        cr_assert(eq(int, rc, 0));
        ALLOC_MEASURE(lrui_free(&c), d);
        cr_assert(d.frees == 1 && d.heap_objects == -1, "lrui_free: one free, saw %llu",
                  (unsigned long long)d.frees);
    }
    lrui_free(NULL);
}

Test(lru_intrusive, after_init_no_mix_of_gets_puts_and_evictions_allocates)
{
    struct lrui c;
    uint64_t seed = 3;
    char key[LRU_KEY_MAX + 1];

    cr_assert(eq(int, lrui_init(&c, 100), 0));
    for (uint64_t i = 0; i < 100000; i++) {
        uint64_t x = shuffle_rand(&seed);
        int rc;

        snprintf(key, sizeof key, "key-%llu", (unsigned long long)((x >> 8) % 400));
        if (x & 1)
            ASSERT_NO_ALLOCS(lrui_get(&c, key, NULL));
        else {
            ASSERT_NO_ALLOCS(rc = lrui_put(&c, key, i));
            cr_assert(eq(int, rc, 0));
        }
    }
    /* every kind happened: the test measured what it claims to */
    cr_assert(c.n.hits > 0 && c.n.misses > 0 && c.n.updates > 0 && c.n.evictions > 0,
              "hits %llu, misses %llu, updates %llu, evictions %llu",
              (unsigned long long)c.n.hits, (unsigned long long)c.n.misses,
              (unsigned long long)c.n.updates, (unsigned long long)c.n.evictions);
    cr_assert(eq(u64, c.n.inserts, c.n.evictions + 100), "every insert past 100 evicted");
    lrui_free(&c);
}

/* ---- bad input ---- */

static void refuses_bad_input(const struct way *w)
{
    union cache c;
    char longest[LRU_KEY_MAX + 2];
    int rc;

    ASSERT_NO_ALLOCS(rc = w->init(&c, 0));
    cr_assert(rc == -1 && errno == EINVAL, "%s: a capacity of 0", w->name);
    ASSERT_NO_ALLOCS(rc = w->init(&c, (size_t)LRU_CAP_MAX + 1));
    cr_assert(rc == -1 && errno == EINVAL, "%s: a capacity past LRU_CAP_MAX", w->name);

    cr_assert(eq(int, w->init(&c, 2), 0));
    memset(longest, 'x', LRU_KEY_MAX);
    longest[LRU_KEY_MAX] = '\0';
    cr_assert(eq(int, w->put(&c, longest, 1), 0), "%s: a key of LRU_KEY_MAX bytes", w->name);
    cr_assert(eq(int, w->put(&c, "b", 2), 0));
    struct snap was = snapshot(w, &c);
    longest[LRU_KEY_MAX] = 'x';
    longest[LRU_KEY_MAX + 1] = '\0';
    ASSERT_NO_ALLOCS(rc = w->put(&c, longest, 3));
    cr_assert(rc == -1 && errno == EINVAL, "%s: a key one byte too long is refused", w->name);
    bool hit;
    ASSERT_NO_ALLOCS(hit = w->get(&c, longest, NULL));
    cr_assert(not(hit), "%s: a key too long is never present", w->name);
    struct snap now = snapshot(w, &c);
    assert_same(w, &was, &now, "a key too long changes nothing");
    w->free(&c);
}

Test(lru_input, a_key_longer_than_lru_key_max_is_refused_and_allocates_nothing)
{
    refuses_bad_input(&textbook);
    refuses_bad_input(&intrusive);
}

/* ---- failure ---- */

/* A textbook cache of cap entries, "k0" .. "k<n-1>" put into it (the oldest evicted past
 * cap), then the oldest left read, so that the order is not the order of the puts. */
static void fill(struct lrut *c, size_t cap, size_t n)
{
    char key[LRU_KEY_MAX + 1];

    cr_assert(eq(int, lrut_init(c, cap), 0));
    for (size_t i = 0; i < n; i++) {
        snprintf(key, sizeof key, "k%zu", i);
        cr_assert(eq(int, lrut_put(c, key, i * 10), 0));
    }
    snprintf(key, sizeof key, "k%zu", n > cap ? n - cap : 0);
    cr_assert(lrut_get(c, key, NULL), "the oldest entry is there");
}

Test(lru_failure, a_put_whose_kth_allocation_fails_leaves_the_cache_as_it_was_and_usable)
{
    SKIP_WITHOUT_INJECTION();
    /* not full, then full (the put would evict) */
    static const size_t fills[][2] = {{8, 5}, {4, 7}};

    for (size_t f = 0; f < 2; f++) {
        for (uint64_t k = 1; k <= 3; k++) {
            struct lrut c;
            struct countalloc_stats d;
            int rc;

            fill(&c, fills[f][0], fills[f][1]);
            struct snap was = snapshot(&textbook, &c);
            countalloc_fail_at(k, false);
            ALLOC_MEASURE(rc = lrut_put(&c, "new", 99), d);
            countalloc_fail_at(0, false);
            cr_assert(rc == -1 && errno == ENOMEM, "allocation %llu failed: -1 and ENOMEM",
                      (unsigned long long)k);
            cr_assert(d.heap_alloc == 0 && d.heap_objects == 0,
                      "allocation %llu failed: %lld B in %lld blocks leaked",
                      (unsigned long long)k, (long long)d.heap_alloc, (long long)d.heap_objects);
            struct snap now = snapshot(&textbook, &c);
            assert_same(&textbook, &was, &now, "a failed put: the same entries and order");
            cr_assert(eq(u64, c.n.evictions, fills[f][1] > fills[f][0]
                                                 ? fills[f][1] - fills[f][0] : 0),
                      "a failed put evicted nothing");
            cr_assert(eq(int, lrut_put(&c, "new", 99), 0), "usable again");
            lrut_free(&c);
        }
    }
}

/* The trap: evicting first, then putting. When the put's allocation fails, the evicted
 * entry is gone and nothing took its place: the cache lost an entry. */
Test(lru_failure, evicting_before_allocating_loses_an_entry_when_the_put_fails)
{
    SKIP_WITHOUT_INJECTION();
    struct lrut c;
    int rc;

    fill(&c, 4, 4);
    struct snap was = snapshot(&textbook, &c);
    const char *lost = was.key[was.n - 1];
    countalloc_fail_at(1, false);
    cr_assert(lrut_evict(&c), "the wrong order: make room first");
    rc = lrut_put(&c, "new", 99);
    countalloc_fail_at(0, false);
    cr_assert(rc == -1 && errno == ENOMEM, "the put after the eviction failed");
    cr_assert(eq(sz, c.len, was.n - 1), "one entry fewer than before, and no new one");
    cr_assert(not(lrut_get(&c, lost, NULL)), "%s, the least recent, is lost", lost);
    lrut_free(&c);
}

/* One whole run for the sweep: init, 300 gets and puts over 4 * cap keys, free. After a
 * put fails the cache must hold what it held before it (checked here), then the run stops. */
struct sweep_job {
    const struct way *w;
    size_t cap;
};

static int sweep_lru(void *ctx)
{
    const struct sweep_job *j = ctx;
    union cache c;
    uint64_t seed = 11;
    char key[LRU_KEY_MAX + 1];
    int rc = 0;

    if (j->w->init(&c, j->cap) != 0)
        return -1;
    for (uint64_t i = 0; i < 300 && rc == 0; i++) {
        uint64_t x = shuffle_rand(&seed);

        snprintf(key, sizeof key, "key-%llu", (unsigned long long)((x >> 8) % (4 * j->cap)));
        if (x & 1) {
            j->w->get(&c, key, NULL);
            continue;
        }
        struct snap was = snapshot(j->w, &c);
        if ((rc = j->w->put(&c, key, i)) != 0) {
            struct snap now = snapshot(j->w, &c);
            assert_same(j->w, &was, &now, "a put failed in the sweep");
        }
    }
    j->w->free(&c);
    return rc;
}

Test(lru_failure, every_allocation_of_either_cache_failed_in_turn_is_reported_and_leaks_nothing)
{
    /* textbook: the buckets, then 3 blocks a new key; intrusive: its one block */
    struct sweep_job t = {&textbook, 8}, i = {&intrusive, 8};

    ASSERT_SWEEP_CLEAN(sweep_lru, &t);
    ASSERT_SWEEP_CLEAN(sweep_lru, &i);
}

/* ---- the program ---- */

Test(lru_program, bad_arguments_get_one_line_and_exit_status_2)
{
    static const char *const bad_cap[] = {"abc", "0", "-5", "1000001", "1x", "--bogus",
                                          "99999999999999999999999"};
    static const char *const bad_ops[] = {"10 0", "10 -1", "10 100000001", "10 b", "10 2x"};
    static const char *const extra[] = {"1 2 3"};

    ASSERT_BAD_ARGUMENTS("demo/lru", "CAPACITY", bad_cap);
    ASSERT_BAD_ARGUMENTS("demo/lru", "OPS", bad_ops);
    ASSERT_BAD_ARGUMENTS("demo/lru", "lru", extra);
}

Test(lru_program, a_run_frees_everything_it_took)
{
    cli_assert_frees_everything("demo/lru", "");
    cli_assert_frees_everything("demo/lru", "1 100");
}
