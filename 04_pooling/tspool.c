/* tspool.c: the slow paths of the per-thread-cache pool. See tspool.h for the contract.
 * Objects on the shared list are free memory: the pool reads and writes their link
 * words only inside MEMDEBUG_DEFINED / MEMDEBUG_NOACCESS brackets. */
#include "tspool.h"

#include <stdlib.h>

#define HALF (TSPOOL_CACHE / 2)

static void *link_read(void *obj)
{
    void *next;

    MEMDEBUG_DEFINED(obj, sizeof(void *));
    next = *(void **)obj;
    MEMDEBUG_NOACCESS(obj, sizeof(void *));
    return next;
}

static void link_write(void *obj, void *next)
{
    MEMDEBUG_UNDEFINED(obj, sizeof(void *));
    *(void **)obj = next;
    MEMDEBUG_NOACCESS(obj, sizeof(void *));
}

/* Release a free object to its maker. */
static void release_obj(struct tspool *p, void *obj)
{
    MEMDEBUG_DEFINED(obj, p->cfg.size);
    atomic_fetch_add_explicit(&p->drops, 1, memory_order_relaxed);
    if (p->cfg.free_obj != NULL)
        p->cfg.free_obj(obj, p->cfg.arg);
    else
        free(obj);
}

void tspool_init(struct tspool *p, const struct pool_config *cfg)
{
    pthread_mutex_init(&p->lock, NULL); /* default attributes: cannot fail on Linux */
    p->shared = NULL;
    p->nshared = 0;
    p->cfg = *cfg;
    if (p->cfg.size < sizeof(void *))
        p->cfg.size = sizeof(void *);
    if (p->cfg.cap == 0)
        p->cfg.cap = POOL_CAP;
    atomic_init(&p->made, 0);
    atomic_init(&p->drops, 0);
    atomic_init(&p->lock_trips, 0);
    MEMDEBUG_POOL_CREATE(p);
}

void tspool_destroy(struct tspool *p)
{
    while (p->shared != NULL) {
        void *obj = p->shared;
        p->shared = link_read(obj);
        release_obj(p, obj);
    }
    p->nshared = 0;
    MEMDEBUG_POOL_DESTROY(p);
    pthread_mutex_destroy(&p->lock);
}

void tspool_cache_init(struct tspool_cache *c, struct tspool *p)
{
    c->pool = p;
    c->n = 0;
}

/* Push cached objects obj[from..n) to the shared list, up to its cap; release the rest
 * after the lock is dropped. Leaves c->n == from. */
static void spill(struct tspool_cache *c, unsigned from)
{
    struct tspool *p = c->pool;
    unsigned i = c->n;

    atomic_fetch_add_explicit(&p->lock_trips, 1, memory_order_relaxed);
    pthread_mutex_lock(&p->lock);
    while (i > from && p->nshared < p->cfg.cap) {
        void *obj = c->obj[--i];
        link_write(obj, p->shared);
        p->shared = obj;
        p->nshared++;
    }
    pthread_mutex_unlock(&p->lock);
    while (i > from)
        release_obj(p, c->obj[--i]);
    c->n = from;
}

void *tspool_get_refill(struct tspool_cache *c)
{
    struct tspool *p = c->pool;
    void *obj;

    atomic_fetch_add_explicit(&p->lock_trips, 1, memory_order_relaxed);
    pthread_mutex_lock(&p->lock);
    while (c->n < HALF && p->shared != NULL) {
        obj = p->shared;
        p->shared = link_read(obj);
        p->nshared--;
        c->obj[c->n++] = obj;
    }
    pthread_mutex_unlock(&p->lock);
    if (c->n > 0) {
        obj = c->obj[--c->n];
        MEMDEBUG_POOL_ALLOC(p, obj, p->cfg.size);
        return obj;
    }
    obj = p->cfg.new_obj != NULL ? p->cfg.new_obj(p->cfg.arg) : malloc(p->cfg.size);
    if (obj == NULL)
        return NULL;
    atomic_fetch_add_explicit(&p->made, 1, memory_order_relaxed);
    MEMDEBUG_POOL_ALLOC(p, obj, p->cfg.size);
    return obj;
}

void tspool_put_spill(struct tspool_cache *c, void *obj)
{
    spill(c, HALF);
    MEMDEBUG_POOL_FREE(c->pool, obj, c->pool->cfg.size);
    c->obj[c->n++] = obj;
}

void tspool_cache_flush(struct tspool_cache *c)
{
    if (c->n > 0)
        spill(c, 0);
}
