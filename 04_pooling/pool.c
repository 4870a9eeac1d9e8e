/* pool.c: the slow paths of the free-list pool. See pool.h for the contract. */
#include "pool.h"

#include <stdlib.h>

static void *default_new(struct pool *p)
{
    return malloc(p->cfg.size);
}

/* A new object from cfg.new_obj, or NULL. */
static void *make_obj(struct pool *p)
{
    return p->cfg.new_obj != NULL ? p->cfg.new_obj(p->cfg.arg) : default_new(p);
}

/* Hand an object the pool no longer wants back to its maker. It must be accessible. */
static void release_obj(struct pool *p, void *obj)
{
    p->stats.drops++;
    if (p->cfg.free_obj != NULL)
        p->cfg.free_obj(obj, p->cfg.arg);
    else
        free(obj);
}

/* Unlink the head of the free list and make it accessible to the pool again. */
static void *pop_free(struct pool *p)
{
    void *obj = p->free;

    MEMDEBUG_DEFINED(obj, p->cfg.size);
    p->free = *(void **)obj;
    p->nfree--;
    return obj;
}

void pool_init(struct pool *p, const struct pool_config *cfg)
{
    p->free = NULL;
    p->nfree = 0;
    p->cfg = *cfg;
    if (p->cfg.size < sizeof(void *))
        p->cfg.size = sizeof(void *);
    if (p->cfg.cap == 0)
        p->cfg.cap = POOL_CAP;
    p->stats = (struct pool_stats){0};
    MEMDEBUG_POOL_CREATE(p);
}

void pool_destroy(struct pool *p)
{
    pool_trim(p, 0);
    MEMDEBUG_POOL_DESTROY(p);
}

void *pool_get_miss(struct pool *p)
{
    void *obj = make_obj(p);

    if (obj == NULL)
        return NULL;
    p->stats.gets++;
    p->stats.made++;
    MEMDEBUG_POOL_ALLOC(p, obj, p->cfg.size);
    return obj;
}

void pool_put_full(struct pool *p, void *obj)
{
    p->stats.puts++;
    /* Tell the tools the chunk left the pool, then let its maker have it. */
    MEMDEBUG_POOL_FREE(p, obj, p->cfg.size);
    MEMDEBUG_DEFINED(obj, p->cfg.size);
    release_obj(p, obj);
}

int pool_fill(struct pool *p, size_t n)
{
    size_t want = n < p->cfg.cap ? n : p->cfg.cap;
    void *made = NULL; /* this call's objects, linked, joined to the pool at the end */
    size_t nmade = 0;

    while (p->nfree + nmade < want) {
        void *obj = make_obj(p);
        if (obj == NULL)
            goto out_release;
        *(void **)obj = made;
        made = obj;
        nmade++;
    }
    while (made != NULL) {
        void *next = *(void **)made;
        MEMDEBUG_POOL_ALLOC(p, made, p->cfg.size); /* so that the put below is a valid free */
        *(void **)made = p->free;
        p->free = made;
        p->nfree++;
        MEMDEBUG_POOL_FREE(p, made, p->cfg.size);
        made = next;
    }
    p->stats.made += nmade;
    return 0;

out_release:
    while (made != NULL) {
        void *next = *(void **)made;
        if (p->cfg.free_obj != NULL)
            p->cfg.free_obj(made, p->cfg.arg);
        else
            free(made);
        made = next;
    }
    return -1;
}

void pool_trim(struct pool *p, size_t keep)
{
    while (p->nfree > keep)
        release_obj(p, pop_free(p));
}
