/* test_pooling.c: the pool, the per-thread pool, the mutex pool, the arena, and the
 * lesson's heavy/light pair: same results, exact allocation counts, OOM sweeps. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "alloc_assert.h"
#include "arena.h"
#include "countalloc.h"
#include "counters.h"
#include "mpool.h"
#include "pool.h"
#include "pooling.h"
#include "tspool.h"

static const struct pool_config buf4k = {.size = 4096, .cap = 4};

/* ---- pool ---- */

Test(pool, a_get_on_an_empty_pool_makes_one_object)
{
    struct pool p;
    void *obj;

    pool_init(&p, &buf4k);
    ASSERT_ALLOCS(obj = pool_get(&p), 1, 4096);
    cr_assert(obj != NULL);
    cr_assert(eq(u64, p.stats.made, 1));
    pool_put(&p, obj);
    pool_destroy(&p);
}

Test(pool, init_allocates_nothing)
{
    struct pool p;

    ASSERT_NO_ALLOCS(pool_init(&p, &buf4k));
    pool_destroy(&p);
}

Test(pool, a_put_object_comes_back_without_allocating)
{
    struct pool p;
    void *first, *again;

    pool_init(&p, &buf4k);
    first = pool_get(&p);
    ASSERT_NO_ALLOCS(pool_put(&p, first));
    ASSERT_NO_ALLOCS(again = pool_get(&p));
    cr_assert(eq(ptr, again, first), "the pool should hand back the object it was given");
    pool_put(&p, again);
    pool_destroy(&p);
}

/* bench.c's WithPool as a test: 0 allocs/op after warm-up. */
static void get_put(void *arg)
{
    struct pool *p = arg;
    char *buf = pool_get(p);

    buf[0] = 1;
    pool_put(p, buf);
}

static void malloc_free(void *arg)
{
    char *buf = malloc(*(size_t *)arg);

    buf[0] = 1;
    free(buf);
}

Test(pool, allocs_per_run_is_zero_after_warm_up)
{
    struct pool p;
    size_t size = 1024;

    pool_init(&p, &(struct pool_config){.size = 1024, .cap = 1});
    cr_assert(eq(u64, countalloc_allocs_per_run(1000, get_put, &p), 0),
              "a warm pool's get+put should allocate nothing");
    cr_assert(eq(u64, countalloc_allocs_per_run(1000, malloc_free, &size), 1),
              "malloc+free is one allocation per run");
    pool_destroy(&p);
}

Test(pool, a_request_loop_allocates_only_while_warming_up)
{
    struct pool p;
    void *held[4];

    pool_init(&p, &buf4k);
    ASSERT_ALLOCS(for (int i = 0; i < 4; i++) held[i] = pool_get(&p), 4, 4 * 4096);
    for (int i = 0; i < 4; i++)
        pool_put(&p, held[i]);
    ASSERT_NO_ALLOCS(for (int r = 0; r < 1000; r++) {
        for (int i = 0; i < 4; i++)
            held[i] = pool_get(&p);
        for (int i = 0; i < 4; i++)
            pool_put(&p, held[i]);
    });
    pool_destroy(&p);
}

Test(pool, the_free_list_lives_in_the_objects_so_a_put_costs_nothing)
{
    struct pool p;
    void *objs[4];

    pool_init(&p, &buf4k);
    for (int i = 0; i < 4; i++)
        objs[i] = pool_get(&p);
    ASSERT_NO_ALLOCS(for (int i = 0; i < 4; i++) pool_put(&p, objs[i]));
    cr_assert(eq(sz, p.nfree, 4));
    pool_destroy(&p);
}

Test(pool, hands_back_dirty_memory_not_zeroed)
{
    struct pool p;
    unsigned char *buf;

    pool_init(&p, &buf4k);
    buf = pool_get(&p);
    memset(buf, 0xAB, 4096);
    pool_put(&p, buf);
    buf = pool_get(&p);
    /* The first word held the free-list link; the rest is what the last user left. */
    for (size_t i = sizeof(void *); i < 4096; i++)
        cr_assert(eq(u8, buf[i], 0xAB), "byte %zu: a pool does not clear objects", i);
    pool_put(&p, buf);
    pool_destroy(&p);
}

Test(pool, a_put_beyond_the_cap_frees_the_object)
{
    struct pool p;
    void *objs[5];
    struct countalloc_stats d;

    pool_init(&p, &buf4k);
    for (int i = 0; i < 5; i++)
        objs[i] = pool_get(&p);
    for (int i = 0; i < 4; i++)
        pool_put(&p, objs[i]);
    ALLOC_MEASURE(pool_put(&p, objs[4]), d);
    cr_assert(eq(u64, d.frees, 1), "the fifth put, over a cap of 4, should free its object");
    cr_assert(eq(sz, p.nfree, 4));
    cr_assert(eq(u64, p.stats.drops, 1));
    pool_destroy(&p);
}

Test(pool, a_pool_with_no_cap_holds_its_peak_forever)
{
    struct pool p;
    void *objs[100];
    struct countalloc_stats d;

    pool_init(&p, &(struct pool_config){.size = 4096, .cap = SIZE_MAX});
    ALLOC_MEASURE({
        for (int i = 0; i < 100; i++)
            objs[i] = pool_get(&p);
        for (int i = 0; i < 100; i++)
            pool_put(&p, objs[i]);
    }, d);
    cr_assert(eq(i64, d.heap_alloc, 100 * 4096),
              "one burst of 100 gets should leave 400 KiB held by the pool, saw %lld bytes",
              (long long)d.heap_alloc);
    ASSERT_NO_ALLOCS(pool_trim(&p, 10));
    cr_assert(eq(sz, p.nfree, 10), "pool_trim keeps what it is told to keep");
    pool_destroy(&p);
}

Test(pool, destroy_releases_every_free_object)
{
    ASSERT_NO_LEAK({
        struct pool p;
        void *objs[3];
        pool_init(&p, &buf4k);
        for (int i = 0; i < 3; i++)
            objs[i] = pool_get(&p);
        for (int i = 0; i < 3; i++)
            pool_put(&p, objs[i]);
        pool_destroy(&p);
    });
}

Test(pool, objects_smaller_than_a_pointer_are_rounded_up)
{
    struct pool p;
    void *obj;

    pool_init(&p, &(struct pool_config){.size = 1});
    cr_assert(eq(sz, p.cfg.size, sizeof(void *)));
    cr_assert(eq(sz, p.cfg.cap, POOL_CAP), "cap 0 takes the default");
    ASSERT_ALLOCS(obj = pool_get(&p), 1, sizeof(void *));
    pool_put(&p, obj);
    pool_destroy(&p);
}

struct maker {
    int made, freed;
};

static void *make_obj(void *arg)
{
    ((struct maker *)arg)->made++;
    return calloc(1, 64);
}

static void free_obj(void *obj, void *arg)
{
    ((struct maker *)arg)->freed++;
    free(obj);
}

Test(pool, new_obj_and_free_obj_make_and_release_the_objects)
{
    struct maker mk = {0};
    struct pool p;
    void *a, *b;

    pool_init(&p, &(struct pool_config){.size = 64, .cap = 1, .new_obj = make_obj,
                                        .free_obj = free_obj, .arg = &mk});
    a = pool_get(&p);
    b = pool_get(&p);
    pool_put(&p, a);
    pool_put(&p, b); /* over the cap */
    cr_assert(eq(int, mk.made, 2));
    cr_assert(eq(int, mk.freed, 1));
    pool_destroy(&p);
    cr_assert(eq(int, mk.freed, 2));
}

Test(pool, fill_warms_the_pool_up_to_its_cap)
{
    struct pool p;

    pool_init(&p, &buf4k);
    int rc1, rc2;

    ASSERT_ALLOCS(rc1 = pool_fill(&p, 10), 4, 4 * 4096);
    ASSERT_NO_ALLOCS(rc2 = pool_fill(&p, 10));
    cr_assert(eq(int, rc1, 0));
    cr_assert(eq(int, rc2, 0));
    cr_assert(eq(sz, p.nfree, 4));
    pool_destroy(&p);
}

Test(pool, a_get_that_runs_out_of_memory_returns_null_and_changes_nothing)
{
    struct pool p;
    void *obj;

    SKIP_WITHOUT_INJECTION();
    pool_init(&p, &buf4k);
    countalloc_fail_at(1, false);
    obj = pool_get(&p);
    countalloc_fail_off();
    cr_assert(eq(ptr, obj, NULL));
    cr_assert(eq(u64, p.stats.gets, 0));
    cr_assert(eq(u64, p.stats.made, 0));
    pool_destroy(&p);
}

static int fill_job(void *ctx)
{
    struct pool p;
    int rc = 0;

    (void)ctx;
    pool_init(&p, &buf4k);
    /* A fill that fails must leave the pool as it found it, else call it unreported. */
    if (pool_fill(&p, 2) != 0)
        rc = p.nfree == 0 ? -1 : 0;
    else if (pool_fill(&p, 4) != 0)
        rc = p.nfree == 2 ? -1 : 0;
    pool_destroy(&p);
    return rc;
}

Test(pool, fill_survives_every_allocation_failure)
{
    ASSERT_SWEEP_CLEAN(fill_job, NULL);
}

static int get_job(void *ctx)
{
    struct pool p;
    void *objs[3];
    int got, rc = 0;

    (void)ctx;
    pool_init(&p, &buf4k);
    for (got = 0; got < 3; got++) {
        objs[got] = pool_get(&p);
        if (objs[got] == NULL) {
            rc = -1;
            break;
        }
    }
    while (got > 0)
        pool_put(&p, objs[--got]);
    pool_destroy(&p);
    return rc;
}

Test(pool, get_survives_every_allocation_failure)
{
    ASSERT_SWEEP_CLEAN(get_job, NULL);
}

/* ---- arena ---- */

Test(arena, the_first_allocation_mallocs_one_chunk)
{
    struct arena a;
    void *p;

    ASSERT_NO_ALLOCS(arena_init(&a, 0));
    ASSERT_ALLOCS(p = arena_alloc(&a, 64), 1, ARENA_CHUNK);
    cr_assert(p != NULL);
    arena_destroy(&a);
}

Test(arena, allocations_inside_a_chunk_allocate_nothing)
{
    struct arena a;

    arena_init(&a, 0);
    arena_alloc(&a, 64);
    int nulls = 0;

    ASSERT_NO_ALLOCS(for (int i = 0; i < 500; i++) nulls += arena_alloc(&a, 64) == NULL);
    cr_assert(eq(int, nulls, 0));
    cr_assert(eq(u64, a.chunk_mallocs, 1));
    arena_destroy(&a);
}

Test(arena, every_pointer_is_aligned_and_distinct)
{
    struct arena a;
    char *prev = NULL;

    arena_init(&a, 0);
    for (size_t n = 0; n < 300; n++) {
        char *p = arena_alloc(&a, n);
        cr_assert(p != NULL);
        cr_assert(eq(u64, (uintptr_t)p % ARENA_ALIGN, 0), "arena_alloc(%zu) is misaligned", n);
        cr_assert(p != prev, "arena_alloc(%zu) returned the previous pointer again", n);
        memset(p, 0x5A, n);
        prev = p;
    }
    arena_destroy(&a);
}

Test(arena, a_reset_keeps_the_chunks_so_the_next_round_allocates_nothing)
{
    struct arena a;

    arena_init(&a, 4096);
    ASSERT_ALLOC_COUNT(for (int i = 0; i < 200; i++) arena_alloc(&a, 64), 4);
    arena_reset(&a);
    cr_assert(eq(sz, arena_held(&a), 4 * 4096), "the reset should keep all 4 chunks");
    int nulls = 0;

    ASSERT_NO_ALLOCS(for (int i = 0; i < 200; i++) nulls += arena_alloc(&a, 64) == NULL);
    cr_assert(eq(int, nulls, 0));
    arena_destroy(&a);
}

Test(arena, a_large_request_gets_its_own_chunk_and_the_reset_frees_it)
{
    struct arena a;
    char *small, *big, *after;
    struct countalloc_stats d;

    arena_init(&a, 4096);
    small = arena_alloc(&a, 64);
    ASSERT_ALLOC_COUNT(big = arena_alloc(&a, 10000), 1);
    ASSERT_NO_ALLOCS(after = arena_alloc(&a, 64));
    cr_assert(eq(ptr, after, small + 64), "the current chunk should stay current");
    memset(big, 1, 10000);
    ALLOC_MEASURE(arena_reset(&a), d);
    cr_assert(eq(u64, d.frees, 1), "the reset should free the oversized chunk only");
    arena_destroy(&a);
}

Test(arena, an_impossible_size_returns_null_with_enomem_and_changes_nothing)
{
    struct arena a;
    char *p;

    arena_init(&a, 0);
    p = arena_alloc(&a, 16);
    errno = 0;
    void *huge;

    ASSERT_NO_ALLOCS(huge = arena_alloc(&a, SIZE_MAX - 8));
    cr_assert(eq(ptr, huge, NULL));
    cr_assert(eq(int, errno, ENOMEM));
    cr_assert(eq(ptr, arena_alloc(&a, 16), p + 16));
    arena_destroy(&a);
}

Test(arena, destroy_returns_every_chunk)
{
    ASSERT_NO_LEAK({
        struct arena a;
        arena_init(&a, 4096);
        for (int i = 0; i < 100; i++)
            arena_alloc(&a, 100);
        arena_alloc(&a, 100000);
        arena_reset(&a);
        arena_alloc(&a, 100);
        arena_destroy(&a);
    });
}

static int arena_job(void *ctx)
{
    struct arena a;
    int rc = 0;

    (void)ctx;
    arena_init(&a, 4096);
    for (int round = 0; round < 2 && rc == 0; round++) {
        for (int i = 0; i < 100; i++) {
            if (arena_alloc(&a, 100) == NULL) {
                rc = -1;
                break;
            }
        }
        if (rc == 0 && arena_alloc(&a, 5000) == NULL)
            rc = -1;
        arena_reset(&a);
    }
    arena_destroy(&a);
    return rc;
}

Test(arena, alloc_survives_every_allocation_failure)
{
    ASSERT_SWEEP_CLEAN(arena_job, NULL);
}

Test(arena, a_failed_chunk_leaves_earlier_objects_intact)
{
    struct arena a;
    char *p;

    SKIP_WITHOUT_INJECTION();
    arena_init(&a, 1024);
    p = arena_alloc(&a, 900);
    memset(p, 7, 900);
    countalloc_fail_at(1, false);
    cr_assert(eq(ptr, arena_alloc(&a, 900), NULL));
    countalloc_fail_off();
    for (int i = 0; i < 900; i++)
        cr_assert(eq(int, p[i], 7));
    cr_assert(arena_alloc(&a, 900) != NULL, "the arena should work again once memory is back");
    arena_destroy(&a);
}

/* ---- tspool ---- */

Test(tspool, a_warm_cache_takes_no_lock_and_allocates_nothing)
{
    struct tspool p;
    struct tspool_cache c;
    void *obj;

    tspool_init(&p, &buf4k);
    tspool_cache_init(&c, &p);
    ASSERT_ALLOCS(obj = tspool_get(&c), 1, 4096);
    tspool_put(&c, obj);
    uint64_t trips = atomic_load(&p.lock_trips);
    ASSERT_NO_ALLOCS(for (int i = 0; i < 1000; i++) tspool_put(&c, tspool_get(&c)));
    cr_assert(eq(u64, atomic_load(&p.lock_trips), trips), "cache hits should never lock");
    tspool_cache_flush(&c);
    tspool_destroy(&p);
}

Test(tspool, a_full_cache_moves_half_to_the_shared_list)
{
    struct tspool p;
    struct tspool_cache c;
    void *objs[TSPOOL_CACHE + 1];

    tspool_init(&p, &(struct pool_config){.size = 64, .cap = 100});
    tspool_cache_init(&c, &p);
    for (int i = 0; i <= TSPOOL_CACHE; i++)
        objs[i] = tspool_get(&c);
    for (int i = 0; i <= TSPOOL_CACHE; i++)
        tspool_put(&c, objs[i]);
    cr_assert(eq(sz, p.nshared, TSPOOL_CACHE / 2));
    cr_assert(eq(u32, c.n, TSPOOL_CACHE / 2 + 1));
    tspool_cache_flush(&c);
    cr_assert(eq(sz, p.nshared, TSPOOL_CACHE + 1));
    tspool_destroy(&p);
}

Test(tspool, an_empty_cache_refills_from_the_shared_list_before_allocating)
{
    struct tspool p;
    struct tspool_cache a, b;
    void *objs[4];

    tspool_init(&p, &(struct pool_config){.size = 64, .cap = 100});
    tspool_cache_init(&a, &p);
    tspool_cache_init(&b, &p);
    for (int i = 0; i < 4; i++)
        objs[i] = tspool_get(&a);
    for (int i = 0; i < 4; i++)
        tspool_put(&a, objs[i]);
    tspool_cache_flush(&a);
    ASSERT_NO_ALLOCS(for (int i = 0; i < 4; i++) objs[i] = tspool_get(&b));
    cr_assert(eq(u32, b.n, 0));
    for (int i = 0; i < 4; i++)
        tspool_put(&b, objs[i]);
    tspool_cache_flush(&b);
    tspool_destroy(&p);
}

Test(tspool, the_shared_list_keeps_no_more_than_its_cap)
{
    struct tspool p;
    struct tspool_cache c;
    void *objs[10];

    tspool_init(&p, &(struct pool_config){.size = 64, .cap = 3});
    tspool_cache_init(&c, &p);
    for (int i = 0; i < 10; i++)
        objs[i] = tspool_get(&c);
    for (int i = 0; i < 10; i++)
        tspool_put(&c, objs[i]);
    tspool_cache_flush(&c);
    cr_assert(eq(sz, p.nshared, 3));
    cr_assert(eq(u64, atomic_load(&p.drops), 7));
    tspool_destroy(&p);
}

struct churn {
    struct tspool *ts;
    struct mpool *mp;
    int rounds;
    int failed;
};

static void *churn_thread(void *arg)
{
    struct churn *ch = arg;
    struct tspool_cache c;
    void *held[40];

    if (ch->ts != NULL)
        tspool_cache_init(&c, ch->ts);
    for (int r = 0; r < ch->rounds; r++) {
        int k = 1 + r % 40; /* now and then beyond the cache, to spill and refill */
        for (int i = 0; i < k; i++) {
            held[i] = ch->ts != NULL ? tspool_get(&c) : mpool_get(ch->mp);
            if (held[i] == NULL) {
                ch->failed = 1;
                k = i;
                break;
            }
            memset(held[i], r & 0xff, 64);
        }
        for (int i = 0; i < k; i++)
            ch->ts != NULL ? tspool_put(&c, held[i]) : mpool_put(ch->mp, held[i]);
    }
    if (ch->ts != NULL)
        tspool_cache_flush(&c);
    return NULL;
}

static void churn_in_two_threads(struct tspool *ts, struct mpool *mp)
{
    pthread_t t[2];
    struct churn ch[2] = {{ts, mp, 2000, 0}, {ts, mp, 2000, 0}};

    for (int i = 0; i < 2; i++)
        cr_assert(eq(int, pthread_create(&t[i], NULL, churn_thread, &ch[i]), 0));
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    cr_assert(eq(int, ch[0].failed + ch[1].failed, 0), "a thread ran out of memory");
}

Test(tspool, two_threads_share_one_pool_and_every_object_comes_home)
{
    struct tspool p;

    tspool_init(&p, &(struct pool_config){.size = 64, .cap = 1000});
    churn_in_two_threads(&p, NULL);
    cr_assert(eq(u64, atomic_load(&p.drops), 0));
    cr_assert(eq(sz, p.nshared, (size_t)atomic_load(&p.made)),
              "after both caches are flushed, every object made should be on the shared list");
    cr_assert(atomic_load(&p.made) <= 2 * (40 + TSPOOL_CACHE),
              "made %llu objects: the threads should reuse them",
              (unsigned long long)atomic_load(&p.made));
    tspool_destroy(&p);
}

static int tspool_job(void *ctx)
{
    struct tspool p;
    struct tspool_cache c;
    void *objs[TSPOOL_CACHE + 4];
    int got, rc = 0;

    (void)ctx;
    tspool_init(&p, &(struct pool_config){.size = 64, .cap = 8});
    tspool_cache_init(&c, &p);
    for (got = 0; got < TSPOOL_CACHE + 4; got++) {
        objs[got] = tspool_get(&c);
        if (objs[got] == NULL) {
            rc = -1;
            break;
        }
    }
    while (got > 0)
        tspool_put(&c, objs[--got]);
    tspool_cache_flush(&c);
    tspool_destroy(&p);
    return rc;
}

Test(tspool, get_survives_every_allocation_failure)
{
    ASSERT_SWEEP_CLEAN(tspool_job, NULL);
}

/* ---- mpool ---- */

Test(mpool, two_threads_share_one_locked_pool)
{
    struct mpool m;

    mpool_init(&m, &(struct pool_config){.size = 64, .cap = 1000});
    churn_in_two_threads(NULL, &m);
    cr_assert(eq(u64, m.pool.stats.drops, 0));
    cr_assert(eq(u64, m.pool.nfree, m.pool.stats.made));
    cr_assert(m.pool.stats.made <= 80);
    mpool_destroy(&m);
}

Test(mpool, a_warm_mutex_pool_allocates_nothing)
{
    struct mpool m;

    mpool_init(&m, &buf4k);
    mpool_put(&m, mpool_get(&m));
    ASSERT_NO_ALLOCS(for (int i = 0; i < 100; i++) mpool_put(&m, mpool_get(&m)));
    mpool_destroy(&m);
}

/* ---- the lesson's pair ---- */

Test(requests, heavy_and_light_give_the_same_responses)
{
    uint64_t h = 0, l = 1;

    for (uint64_t n = 0; n < 20; n++) {
        cr_assert(eq(int, heavy_requests(n, &h), 0));
        cr_assert(eq(int, light_requests(n, &l), 0));
        cr_assert(eq(u64, h, l), "n = %llu: heavy and light disagree", (unsigned long long)n);
    }
    cr_assert(eq(int, heavy_requests(1003, &h), 0));
    cr_assert(eq(int, light_requests(1003, &l), 0));
    cr_assert(eq(u64, h, l));
}

Test(requests, heavy_allocates_one_buffer_per_request)
{
    uint64_t d;

    ASSERT_ALLOCS(heavy_requests(1000, &d), 1000, 1000 * REQUEST_BUF);
}

Test(requests, light_allocates_only_the_buffers_in_flight)
{
    uint64_t d;

    ASSERT_ALLOCS(light_requests(1000, &d), REQUEST_INFLIGHT, REQUEST_INFLIGHT * REQUEST_BUF);
    ASSERT_ALLOCS(light_requests(3, &d), 3, 3 * REQUEST_BUF);
    ASSERT_NO_ALLOCS(light_requests(0, &d));
    ASSERT_NO_LEAK(light_requests(1000, &d));
}

Test(nodes, heavy_and_light_build_the_same_lists)
{
    uint64_t h = 0, l = 1;

    for (uint64_t n = 0; n < 5; n++) {
        cr_assert(eq(int, heavy_nodes(n, &h), 0));
        cr_assert(eq(int, light_nodes(n, &l), 0));
        cr_assert(eq(u64, h, l));
    }
    cr_assert(eq(int, heavy_nodes(2500, &h), 0));
    cr_assert(eq(int, light_nodes(2500, &l), 0));
    cr_assert(eq(u64, h, l));
}

Test(nodes, heavy_allocates_every_node)
{
    uint64_t d;

    ASSERT_ALLOCS(heavy_nodes(2500, &d), 2500, 2500 * sizeof(struct node));
}

Test(nodes, light_allocates_one_chunk_for_every_round)
{
    uint64_t d;

    ASSERT_ALLOCS(light_nodes(2500, &d), 1, ARENA_CHUNK);
    ASSERT_NO_LEAK(light_nodes(2500, &d));
}

struct pair_ctx {
    int (*fn)(uint64_t n, uint64_t *digest);
    uint64_t n;
};

static int pair_job(void *ctx)
{
    struct pair_ctx *c = ctx;
    uint64_t d = 42;
    int rc = c->fn(c->n, &d);

    if (rc != 0 && d != 42)
        return 0; /* a failure must leave *digest alone: report it as unreported */
    return rc;
}

Test(requests, both_survive_every_allocation_failure)
{
    ASSERT_SWEEP_CLEAN(pair_job, (&(struct pair_ctx){heavy_requests, 30}));
    ASSERT_SWEEP_CLEAN(pair_job, (&(struct pair_ctx){light_requests, 30}));
}

Test(nodes, both_survive_every_allocation_failure)
{
    ASSERT_SWEEP_CLEAN(pair_job, (&(struct pair_ctx){heavy_nodes, 1500}));
    ASSERT_SWEEP_CLEAN(pair_job, (&(struct pair_ctx){light_nodes, 1500}));
}

/* ---- false sharing: per-thread counters, packed or padded ---- */

Test(counters, both_layouts_count_every_increment_of_every_thread)
{
    for (int layout = COUNTERS_PACKED; layout <= COUNTERS_PADDED; layout++) {
        for (int add = COUNTERS_STORE; add <= COUNTERS_LOCKED; add++) {
            uint64_t total = 0;

            cr_assert(eq(int, counters_run(layout, add, 4, 100000, &total), 0));
            cr_assert(eq(u64, total, 4 * 100000),
                      "each thread owns its counter: no increment may be lost (layout %d, add %d)",
                      layout, add);
        }
    }
}

/* glibc keeps the stacks of joined threads in a cache, each with the thread vector it
 * calloc'd (DTV), and hands them to the next threads: once as many threads as a run needs
 * have lived, a run allocates only its array. The first threads of a process allocate
 * more, by how much depends on the glibc release and the TLS modules loaded. */
Test(counters, a_run_after_warm_up_is_exactly_one_allocation_freed_before_it_returns)
{
    uint64_t total = 0;

    SKIP_IN_SANITIZER_BUILD("ASan's thread start-up allocates through the same hooks");
    cr_assert(eq(int, counters_run(COUNTERS_PADDED, COUNTERS_STORE, 2, 1, &total), 0)); /* warm */
    /* padded: two counters COUNTERS_PAD apart, a whole number of pads */
    ASSERT_ALLOCS(counters_run(COUNTERS_PADDED, COUNTERS_STORE, 2, 10, &total), 1,
                  2 * COUNTERS_PAD);
    ASSERT_NO_LEAK(counters_run(COUNTERS_PADDED, COUNTERS_LOCKED, 2, 10, &total));
    /* packed: two counters take 16 bytes, rounded up to one pad */
    ASSERT_ALLOCS(counters_run(COUNTERS_PACKED, COUNTERS_LOCKED, 2, 10, &total), 1,
                  COUNTERS_PAD);
}

Test(counters, a_thread_count_out_of_range_is_refused_without_allocating)
{
    uint64_t total = 7;
    int none = 0, too_many = 0;

    ASSERT_NO_ALLOCS(none = counters_run(COUNTERS_PACKED, COUNTERS_STORE, 0, 1, &total));
    ASSERT_NO_ALLOCS(too_many = counters_run(COUNTERS_PACKED, COUNTERS_STORE,
                                             COUNTERS_MAX_THREADS + 1, 1, &total));
    cr_assert(none == -1 && too_many == -1, "0 threads and %d threads are refused",
              COUNTERS_MAX_THREADS + 1);
    cr_assert(eq(u64, total, 7), "a refused run leaves *total alone");
}

static int counters_job(void *ctx)
{
    uint64_t *total = ctx;

    return counters_run(COUNTERS_PADDED, COUNTERS_STORE, 3, 1000, total);
}

Test(counters, survives_a_failure_of_its_array_after_warm_up)
{
    uint64_t total = 0;

    SKIP_WITHOUT_INJECTION();
    cr_assert(eq(int, counters_job(&total), 0)); /* warm-up: three cached stacks */
    total = 0;
    ASSERT_SWEEP_CLEAN(counters_job, &total);
    cr_assert(eq(u64, total, 3 * 1000), "the run that completed counted everything");
}

/* In a fresh process (every Criterion test is one) the threads' own allocations can fail:
 * pthread_create then returns EAGAIN, and the run must join the threads it started. */
Test(counters, a_thread_that_cannot_start_fails_the_run_after_joining_the_others)
{
    uint64_t total = 7;

    SKIP_WITHOUT_INJECTION();
    for (uint64_t k = 2; k <= 3; k++) { /* 1 is the array; 2, 3: the first two threads */
        countalloc_fail_at(k, false);
        cr_assert(eq(int, counters_job(&total), -1), "allocation %llu failing fails the run",
                  (unsigned long long)k);
        cr_assert(eq(u64, countalloc_fail_off(), 1), "allocation %llu was made and failed",
                  (unsigned long long)k);
        cr_assert(eq(u64, total, 7), "a failed run leaves *total alone");
    }
}
