/* exercise.c: your pool (make exercise-04 checks it; exercise.h is the contract).
 *
 * It works, but it is no pool yet: every get is a malloc and every put a free, so a
 * request loop allocates once per request, forever.
 *
 * TODO: keep put buffers on p->free_list (link them through their first word, at most
 * p->cap of them), hand them out again from bufpool_get before calling malloc, and free
 * them in bufpool_destroy. Then the loop in test_exercise.c allocates nothing after its
 * first round. */
#include "exercise.h"

#include <stdlib.h>

void bufpool_init(struct bufpool *p, size_t size, size_t cap)
{
    p->size = size;
    p->cap = cap;
    p->nfree = 0;
    p->free_list = NULL;
}

void *bufpool_get(struct bufpool *p)
{
    return malloc(p->size);
}

void bufpool_put(struct bufpool *p, void *buf)
{
    (void)p;
    free(buf);
}

void bufpool_destroy(struct bufpool *p)
{
    (void)p;
}
