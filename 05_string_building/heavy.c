/* heavy.c: joining n parts the ways that allocate per part (T: the total length).
 *   heavy_concat:   n allocations, about T * n / 2 bytes copied
 *   heavy_realloc:  n reallocs; a full copy whenever the allocator moves the block
 *   heavy_asprintf: 2n allocations or more (glibc 2.36 grows its buffer as it formats),
 *                   ~T * n / 2 bytes formatted (each %s a strlen); no parts: "", 1 alloc */
#include "strbuild.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Go's s += part, in C: a new block holding s then part. NULL when out of memory. */
static char *concat(const char *s, size_t len, const char *part, size_t n)
{
    char *t = malloc(len + n + 1);

    if (t == NULL)
        return NULL;
    if (len > 0)
        memcpy(t, s, len);
    memcpy(t + len, part, n);
    t[len + n] = '\0';
    return t;
}

int heavy_concat(const struct strbuild_parts *in, struct strbuild_out *out)
{
    char *s = NULL;
    struct strbuild_out r = {0}; /* length so far and what it cost */

    for (size_t i = 0; i < in->n; i++) {
        uintptr_t was = (uintptr_t)s;
        char *t = concat(s, r.len, in->s[i], in->len[i]); /* a new block, s copied into it */
        if (t == NULL)
            goto fail;
        free(s);
        s = t;
        strbuild_tally(&r, was, s, in->len[i]);
    }
    if (s == NULL && (s = concat("", 0, "", 0)) == NULL)
        goto fail;
    r.s = s;
    *out = r;
    return 0;
fail:
    free(s);
    return -1;
}

int heavy_realloc(const struct strbuild_parts *in, struct strbuild_out *out)
{
    char *s = NULL;
    struct strbuild_out r = {0}; /* length so far and what it cost */

    for (size_t i = 0; i < in->n; i++) {
        uintptr_t was = (uintptr_t)s;
        char *t = realloc(s, r.len + in->len[i] + 1); /* exactly the size needed, every part */
        if (t == NULL)
            goto fail;
        s = t;
        memcpy(s + r.len, in->s[i], in->len[i]);
        strbuild_tally(&r, was, s, in->len[i]);
        s[r.len] = '\0';
    }
    if (s == NULL && (s = concat("", 0, "", 0)) == NULL)
        goto fail;
    r.s = s;
    *out = r;
    return 0;
fail:
    free(s);
    return -1;
}

int heavy_asprintf(const struct strbuild_parts *in, struct strbuild_out *out)
{
    char *s = NULL;
    struct strbuild_out r = {0}; /* length so far and what it cost */

    for (size_t i = 0; i < in->n; i++) {
        uintptr_t was = (uintptr_t)s;
        char *t;
        if (asprintf(&t, "%s%s", s != NULL ? s : "", in->s[i]) < 0) /* s formatted anew */
            goto fail;
        free(s);
        s = t;
        strbuild_tally(&r, was, s, in->len[i]);
    }
    if (s == NULL && (s = concat("", 0, "", 0)) == NULL)
        goto fail;
    r.s = s;
    *out = r;
    return 0;
fail:
    free(s);
    return -1;
}
