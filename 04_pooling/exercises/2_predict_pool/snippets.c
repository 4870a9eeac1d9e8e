/* snippets.c: six snippets on the lesson's pool and arena (04_pooling/pool.h, arena.h).
 * For each, predict in exercise.c how many allocations it makes and how many bytes they
 * ask for. A pool's objects come from malloc(cfg.size) when its free list is empty. */
#include "exercise.h"

#include <string.h>

/* Three requests at once, each with its own object, then all three put back. */
static int three_requests(struct pool *p)
{
    void *obj[3];
    int rc = 0;

    for (int i = 0; i < 3; i++) {
        obj[i] = pool_get(p);
        if (obj[i] == NULL)
            rc = -1;
        else
            memset(obj[i], i, p->cfg.size);
    }
    for (int i = 0; i < 3; i++)
        if (obj[i] != NULL)
            pool_put(p, obj[i]);
    return rc;
}

/* p: a new pool of 4,096-byte objects, cap 64, that has handed out nothing yet. */
int snippet_cold_pool(struct pool *p)
{
    return three_requests(p);
}

/* p: the same pool after snippet_cold_pool ran once: its three objects are free in it. */
int snippet_warm_pool(struct pool *p)
{
    return three_requests(p);
}

/* p: a new pool of 256-byte objects that keeps at most 2 free objects (cap 2). */
int snippet_pool_over_cap(struct pool *p)
{
    int rc = three_requests(p);

    return rc | three_requests(p);
}

/* p: a new pool of 1-byte objects, cap 64. One request. */
int snippet_tiny_objects(struct pool *p)
{
    void *obj = pool_get(p);

    if (obj == NULL)
        return -1;
    pool_put(p, obj);
    return 0;
}

/* a: a new arena with the default chunk size (ARENA_CHUNK, 64 KiB). Ten objects of 64
 * bytes, freed all at once by arena_reset. */
int snippet_fresh_arena(struct arena *a)
{
    for (int i = 0; i < 10; i++)
        if (arena_alloc(a, 64) == NULL)
            return -1;
    arena_reset(a);
    return 0;
}

/* a: the same arena after snippet_fresh_arena ran once. Ten objects of 64 bytes again. */
int snippet_reset_arena(struct arena *a)
{
    return snippet_fresh_arena(a);
}
