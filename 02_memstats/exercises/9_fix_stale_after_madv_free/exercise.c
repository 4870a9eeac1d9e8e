/* Fix the buffer cache: a buffer handed out again shows its previous owner's bytes, and a
 * buffer given back still counts in the service's RSS.
 *
 * cache_put gives the pages back with MADV_FREE, which the kernel acts on only when it runs
 * short of memory; give them back with the advice that drops them now (madvise(2)). */
#include "exercise.h"

#include <errno.h>
#include <stdint.h>
#include <sys/mman.h>

unsigned char *cache_get(struct cache *c)
{
    if (c->nidle == 0) {
        errno = EAGAIN;
        return NULL;
    }
    /* the pages were given back to the kernel: they read as zeros (or so it assumes) */
    return c->base + c->idle[--c->nidle] * c->size;
}

int cache_put(struct cache *c, unsigned char *buf)
{
    uintptr_t off = (uintptr_t)buf - (uintptr_t)c->base;
    size_t i = off / c->size;

    if (buf < c->base || i >= c->count || off % c->size != 0) {
        errno = EINVAL;
        return -1;
    }
    for (size_t k = 0; k < c->nidle; k++)
        if (c->idle[k] == i) { /* already given back */
            errno = EINVAL;
            return -1;
        }
    madvise(buf, c->size, MADV_FREE); /* the kernel may take the pages: a hint */
    c->idle[c->nidle++] = i;
    return 0;
}
