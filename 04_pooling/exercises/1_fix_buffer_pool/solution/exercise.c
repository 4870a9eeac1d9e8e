/* solution/exercise.c: the reference pool for exercise.h. A get is a pop from the free
 * list (no allocation once warm), a put a push, and the free list costs no memory of
 * its own: the link lives in the first word of each free buffer. */
#include "exercise.h"

#include <stdlib.h>

void bufpool_init(struct bufpool *p, size_t size, size_t cap)
{
    p->size = size < sizeof(void *) ? sizeof(void *) : size; /* room for the link */
    p->cap = cap;
    p->nfree = 0;
    p->free_list = NULL;
}

void *bufpool_get(struct bufpool *p)
{
    void *buf = p->free_list;

    if (buf == NULL)
        return malloc(p->size); /* a miss: only while the pool warms up */
    p->free_list = *(void **)buf;
    p->nfree--;
    return buf;
}

void bufpool_put(struct bufpool *p, void *buf)
{
    if (p->nfree >= p->cap) {
        free(buf); /* a cap, or a burst would stay allocated forever */
        return;
    }
    *(void **)buf = p->free_list;
    p->free_list = buf;
    p->nfree++;
}

void bufpool_destroy(struct bufpool *p)
{
    while (p->free_list != NULL) {
        void *next = *(void **)p->free_list;
        free(p->free_list);
        p->free_list = next;
    }
    p->nfree = 0;
}
