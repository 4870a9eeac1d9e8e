/* solution/exercise.c: the reference buffer for exercise.h. realloc grows the block: glibc
 * moves a block past its mmap threshold with mremap(2), no byte copied, and grows a heap
 * block in place when the space after it is free. Its result goes to a variable of its
 * own, so that a failure, which returns NULL and keeps the old block, leaves b as it was. */
#include "exercise.h"

#include <stdlib.h>

int bigbuf_reserve(struct bigbuf *b, size_t cap)
{
    unsigned char *q;

    if (cap <= b->cap)
        return 0;
    if ((q = realloc(b->data, cap)) == NULL) /* realloc(NULL, cap) for an empty buffer */
        return -1; /* b->data is still the caller's block, its bytes as they were */
    b->data = q;
    b->cap = cap;
    return 0;
}

void bigbuf_free(struct bigbuf *b)
{
    free(b->data);
    *b = (struct bigbuf){NULL, 0, 0};
}
