/* strbuild.c: the input both implementations share, and the count of what they copy. */
#include "strbuild.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

int strbuild_parts_make(struct strbuild_parts *p, size_t n, size_t len)
{
    struct strbuild_parts q = {.n = n};
    char *at;

    if (len == 0 || len >= SIZE_MAX / 2 || n >= SIZE_MAX / (len + 1) / 2) {
        errno = EOVERFLOW;
        return -1;
    }
    q.store = malloc(n * (len + 1) + 1); /* +1: n = 0 still gets a block */
    if (q.store == NULL)
        goto fail;
    q.s = malloc(n * sizeof *q.s + 1);
    if (q.s == NULL)
        goto fail_store;
    q.len = malloc(n * sizeof *q.len + 1);
    if (q.len == NULL)
        goto fail_s;
    at = q.store;
    for (size_t i = 0; i < n; i++) {
        q.s[i] = at;
        q.len[i] = len;
        for (size_t j = 0; j < len; j++)
            *at++ = (char)('a' + (i + j) % 26);
        *at++ = '\0';
    }
    q.total = n * len;
    *p = q;
    return 0;

fail_s:
    free(q.s);
fail_store:
    free(q.store);
fail:
    errno = ENOMEM;
    return -1;
}

void strbuild_parts_free(struct strbuild_parts *p)
{
    if (p == NULL)
        return;
    free(p->store);
    free(p->s);
    free(p->len);
    *p = (struct strbuild_parts){0};
}
