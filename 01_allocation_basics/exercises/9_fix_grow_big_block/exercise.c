/* Fix bigbuf_reserve: grow the buffer by realloc, so that glibc moves a big block's pages
 * instead of copying them, and keep the buffer as it was when the growth fails.
 *
 * The starter grows by malloc of the new capacity, memcpy of the old bytes and free: the
 * right bytes and the right counts, but every page of the old contents is written again,
 * a page fault each. A realloc that fails returns NULL and keeps the old block:
 * b->data = realloc(b->data, cap) loses it. */
#include "exercise.h"

#include <stdlib.h>
#include <string.h>

int bigbuf_reserve(struct bigbuf *b, size_t cap)
{
    unsigned char *q;

    if (cap <= b->cap)
        return 0;
    if ((q = malloc(cap)) == NULL)
        return -1; /* b as it was */
    if (b->len > 0)
        memcpy(q, b->data, b->len); /* every page of the old contents, written again */
    free(b->data);
    b->data = q;
    b->cap = cap;
    return 0;
}

void bigbuf_free(struct bigbuf *b)
{
    free(b->data);
    *b = (struct bigbuf){NULL, 0, 0};
}
