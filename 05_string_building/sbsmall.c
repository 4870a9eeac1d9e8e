/* sbsmall.c: see sbsmall.h. Growth is sb's policy (sb_grow_cap): one rule for both
 * builders. */
#include "sbsmall.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "sb.h"

void sbs_free(struct sbs *b)
{
    if (b == NULL)
        return;
    free(b->heap);
    *b = (struct sbs)SBS_INIT;
}

void sbs_reset(struct sbs *b)
{
    b->len = 0;
    sbs_buf_(b)[0] = '\0';
}

int sbs_append_slow(struct sbs *b, const void *p, size_t n)
{
    size_t need, to;
    char *d;

    if (n > SIZE_MAX - 1 - b->len) {
        errno = EOVERFLOW;
        return -1;
    }
    need = b->len + n + 1;
    if (need > b->cap) {
        to = sb_grow_cap(b->cap, need); /* SBS_INLINE -> SB_MIN_CAP, then doubling */
        if (b->heap == NULL) {
            d = malloc(to);
            if (d != NULL)
                memcpy(d, b->small, b->len + 1); /* the inline text and its terminator */
        } else {
            d = realloc(b->heap, to);
        }
        if (d == NULL) {
            errno = ENOMEM;
            return -1;
        }
        b->heap = d;
        b->cap = to;
    }
    d = sbs_buf_(b);
    memcpy(d + b->len, p, n);
    b->len += n;
    d[b->len] = '\0';
    return 0;
}
