/* pool: a free-list pool of fixed-size objects, the C counterpart of Go's sync.Pool.
 * The handle lives where the caller puts it (stack, struct) and costs no allocation; the
 * pool owns the free objects it keeps, the caller owns an object from pool_get until
 * pool_put. A miss calls cfg.new_obj (malloc by default): when that fails pool_get
 * returns NULL and the pool is unchanged.
 *
 *   struct pool p;
 *   pool_init(&p, &(struct pool_config){.size = 4096, .cap = 64});
 *   char *buf = pool_get(&p);          // NULL: out of memory
 *   ...                                // buf holds what its last user left: not zeroed
 *   pool_put(&p, buf);                 // buf is the pool's again: do not touch it
 *   pool_destroy(&p);                  // releases the free objects
 *
 * How it differs from malloc:
 *   - One size per pool. A hit is a load and a store, no lock, no call; make bench-04
 *     times it against glibc's malloc+free (BenchmarkPool4KiB, BenchmarkMalloc4KiB).
 *   - Objects come back dirty. The free list lives in the first word of each free object.
 *   - At most cfg.cap free objects are kept; a put beyond that releases the object.
 *     Objects are never returned to malloc otherwise, until pool_trim or pool_destroy.
 *   - Not thread-safe: one pool per thread, or tspool.h, or mpool.h.
 * With MEMDEBUG (common/memdebug.h) on, a read of a put object is an error under memcheck
 * ("Invalid read") and ASan ("use-after-poison"). */
#ifndef POOL_H
#define POOL_H

#include <stddef.h>
#include <stdint.h>

#include "memdebug.h"

#define POOL_CAP 64 /* free objects kept when the config says 0 */

/* How a pool makes and releases its objects. Zero fields take the defaults. */
struct pool_config {
    size_t size;                           /* bytes per object (at least a pointer's) */
    size_t cap;                            /* most free objects kept; 0: POOL_CAP */
    void *(*new_obj)(void *arg);           /* a fresh object of size bytes or NULL;
                                              NULL: malloc(size) */
    void (*free_obj)(void *obj, void *arg);/* release one; NULL: free(obj) */
    void *arg;                             /* passed to new_obj and free_obj */
};

/* What the pool did, cumulative (all plain counters: a pool has one thread). */
struct pool_stats {
    uint64_t gets;    /* pool_get calls that returned an object */
    uint64_t made;    /* objects made by new_obj: gets that missed, and pool_fill */
    uint64_t puts;    /* pool_put calls */
    uint64_t drops;   /* objects released: puts over the cap, trims, destroy */
};

struct pool {
    void *free;              /* free objects, linked through their first word */
    size_t nfree;            /* length of that list, <= cfg.cap */
    struct pool_config cfg;  /* size rounded up to hold the link */
    struct pool_stats stats;
};

/* Set up an empty pool. Allocates nothing, cannot fail. */
void pool_init(struct pool *p, const struct pool_config *cfg);

/* Release every free object. Objects still out belong to their holders, who release
 * them as cfg.free_obj would. The pool may be initialised again. */
void pool_destroy(struct pool *p);

/* The slow paths of pool_get and pool_put, out of line. Not for callers. */
void *pool_get_miss(struct pool *p);
void pool_put_full(struct pool *p, void *obj);

/* An object of cfg.size bytes, contents unspecified, or NULL when out of memory.
 * A hit takes the head of the free list; a miss makes a new object (cfg.new_obj). */
static inline void *pool_get(struct pool *p)
{
    void *obj = p->free;

    if (__builtin_expect(obj == NULL, 0))
        return pool_get_miss(p);
    MEMDEBUG_DEFINED(obj, sizeof(void *)); /* the link, in memory the pool had taken back */
    p->free = *(void **)obj;
    p->nfree--;
    p->stats.gets++;
    MEMDEBUG_POOL_ALLOC(p, obj, p->cfg.size);
    return obj;
}

/* Give obj (from pool_get of this pool) back. The pool keeps it unless it already holds
 * cfg.cap free objects, when obj is released. obj must not be used afterwards. */
static inline void pool_put(struct pool *p, void *obj)
{
    if (__builtin_expect(p->nfree >= p->cfg.cap, 0)) {
        pool_put_full(p, obj);
        return;
    }
    *(void **)obj = p->free;
    p->free = obj;
    p->nfree++;
    p->stats.puts++;
    MEMDEBUG_POOL_FREE(p, obj, p->cfg.size);
}

/* Make free objects until the pool holds min(n, cap): warm it before a hot loop.
 * Returns 0, or -1 when out of memory, with the objects this call made released. */
int pool_fill(struct pool *p, size_t n);

/* Release free objects until at most `keep` remain. */
void pool_trim(struct pool *p, size_t keep);

#endif
