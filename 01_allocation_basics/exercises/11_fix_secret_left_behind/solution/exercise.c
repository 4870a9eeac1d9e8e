/* solution/exercise.c: the reference store for exercise.h. It grows by hand: a new block,
 * the old bytes copied, the old block wiped with explicit_bzero, then freed, so that no
 * freed block keeps a password; realloc would free a moved block as it is. And it wipes
 * with explicit_bzero, which the compiler must keep even right before a free. A failed
 * malloc returns before anything is touched. */
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
        if ((q = malloc(cap)) == NULL)
            return -1; /* *s as it was */
        if (s->len > 0)
            memcpy(q, s->data, s->len);
        if (s->data != NULL)
            explicit_bzero(s->data, s->cap);
        free(s->data);
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
        explicit_bzero(s->data, s->cap);
    free(s->data);
    *s = (struct store){NULL, 0, 0};
}
