/* Fix the credential store: grow it by hand and wipe with explicit_bzero, so that once
 * store_free has returned no copy of a password is left in the process.
 *
 * The starter grows the buffer with realloc and wipes it with memset before free. The
 * lines come out right and the counts are right, but a realloc that moves the block frees
 * the old one as it is, passwords and all, where no wipe of the new block reaches; and a
 * memset of a block about to be freed is a store nobody reads: gcc -O2 deletes it. */
#include "exercise.h"

#include <stdlib.h>
#include <string.h>

int store_add(struct store *s, const char *line, size_t n)
{
    size_t cap = s->cap;
    char *q;

    if (s->len + n > cap) {
        cap = cap == 0 ? STORE_FIRST_CAP : cap;
        while (cap < s->len + n)
            cap *= 2;
        if ((q = realloc(s->data, cap)) == NULL) /* the old block, when it moves: freed as it is */
            return -1;
        s->data = q;
        s->cap = cap;
    }
    memcpy(s->data + s->len, line, n);
    s->len += n;
    return 0;
}

void store_free(struct store *s)
{
    if (s->data != NULL)
        memset(s->data, 0, s->cap); /* before a free: a dead store to gcc -O2 */
    free(s->data);
    *s = (struct store){NULL, 0, 0};
}
