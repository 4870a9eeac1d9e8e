/* tspool: a pool that many threads share, after Go's sync.Pool: each thread works from
 * its own small cache and touches the shared, locked overflow list only when its cache
 * runs empty or full, TSPOOL_CACHE / 2 objects at a time.
 * Go hides its per-P caches inside the runtime; C has no P, so each thread holds its
 * cache explicitly, on its own stack, and flushes it before it ends:
 *
 *   struct tspool pool;                       // shared: one per program or subsystem
 *   tspool_init(&pool, &(struct pool_config){.size = 4096, .cap = 256});
 *
 *   // in each thread:
 *   struct tspool_cache c;
 *   tspool_cache_init(&c, &pool);
 *   void *buf = tspool_get(&c);               // NULL: out of memory
 *   tspool_put(&c, buf);
 *   tspool_cache_flush(&c);                   // before the thread ends
 *
 *   tspool_destroy(&pool);                    // after every cache is flushed
 *
 * Ownership as in pool.h: the pool owns free objects (cached or shared), the caller owns
 * what tspool_get handed out. A hit in the cache takes no lock.
 * cfg.cap bounds the shared list; each cache adds at most TSPOOL_CACHE more. An object
 * may be put back from any thread. */
#ifndef TSPOOL_H
#define TSPOOL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include "pool.h"

#define TSPOOL_CACHE 32 /* objects a thread's cache holds; it moves half at a time */

struct tspool {
    pthread_mutex_t lock;          /* guards shared and nshared, never the fast path */
    void *shared;                  /* overflow: free objects linked through their first word */
    size_t nshared;                /* length of that list, <= cfg.cap */
    struct pool_config cfg;        /* as for pool_init; cap bounds the shared list */
    _Atomic uint64_t made;         /* objects made by new_obj */
    _Atomic uint64_t drops;        /* objects released because the shared list was full */
    _Atomic uint64_t lock_trips;   /* times a cache took the lock (refill or spill) */
};

/* One thread's cache. Lives on that thread's stack; never shared. */
struct tspool_cache {
    struct tspool *pool;
    unsigned n;                    /* objects in obj[0..n) */
    void *obj[TSPOOL_CACHE];
};

/* Set up an empty pool. Allocates nothing, cannot fail. */
void tspool_init(struct tspool *p, const struct pool_config *cfg);

/* Release every object on the shared list. Every cache must have been flushed. */
void tspool_destroy(struct tspool *p);

/* Set up an empty cache of p for the calling thread. */
void tspool_cache_init(struct tspool_cache *c, struct tspool *p);

/* Move every cached object to the shared list (objects over its cap are released).
 * The cache is empty afterwards and may go on being used. */
void tspool_cache_flush(struct tspool_cache *c);

/* The slow paths of tspool_get and tspool_put, out of line. Not for callers. */
void *tspool_get_refill(struct tspool_cache *c);
void tspool_put_spill(struct tspool_cache *c, void *obj);

/* An object of cfg.size bytes, contents unspecified, or NULL when out of memory. From
 * the cache when it has one; else from the shared list; else a new one. */
static inline void *tspool_get(struct tspool_cache *c)
{
    void *obj;

    if (__builtin_expect(c->n == 0, 0))
        return tspool_get_refill(c);
    obj = c->obj[--c->n];
    MEMDEBUG_POOL_ALLOC(c->pool, obj, c->pool->cfg.size);
    return obj;
}

/* Give obj back: to the cache, or, when the cache is full, half of it to the shared list. */
static inline void tspool_put(struct tspool_cache *c, void *obj)
{
    if (__builtin_expect(c->n == TSPOOL_CACHE, 0)) {
        tspool_put_spill(c, obj);
        return;
    }
    MEMDEBUG_POOL_FREE(c->pool, obj, c->pool->cfg.size);
    c->obj[c->n++] = obj;
}

#endif
