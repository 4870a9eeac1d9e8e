/* light.c: joining n parts the ways that allocate per growth (T: the total length).
 *   light_builder:   struct sb: about log2(T / SB_MIN_CAP) + 1 allocations
 *   light_reserve:   sb_reserve(T) first: exactly 1 allocation
 *   light_memstream: open_memstream + fwrite: libc's growing buffer (geometric too)
 * No parts at all still gives "": one allocation (or libc's own for memstream). */
#include "strbuild.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sb.h"

int light_builder(const struct strbuild_parts *in, struct strbuild_out *out)
{
    struct sb b = SB_INIT;
    char *s = NULL;
    struct strbuild_out r = {0}; /* length so far and what it cost */

    for (size_t i = 0; i < in->n; i++) {
        uintptr_t was = (uintptr_t)s;
        int rc = sb_append(&b, in->s[i], in->len[i]); /* grows only when full, by doubling */
        if (rc != 0)
            goto fail;
        s = b.buf;
        strbuild_tally(&r, was, s, in->len[i]);
    }
    if ((s = sb_detach(&b, &r.len)) == NULL)
        goto fail;
    r.s = s;
    *out = r;
    return 0;
fail:
    sb_free(&b);
    return -1;
}

int light_reserve(const struct strbuild_parts *in, struct strbuild_out *out)
{
    struct sb b = SB_INIT;
    char *s = NULL;
    struct strbuild_out r = {0}; /* length so far and what it cost */

    if (sb_reserve(&b, in->total) != 0) /* the one allocation: everything fits */
        goto fail;
    for (size_t i = 0; i < in->n; i++) {
        uintptr_t was = (uintptr_t)s;
        int rc = sb_append(&b, in->s[i], in->len[i]); /* never grows: reserved above */
        if (rc != 0)
            goto fail;
        s = b.buf;
        strbuild_tally(&r, was, s, in->len[i]);
    }
    if ((s = sb_detach(&b, &r.len)) == NULL)
        goto fail;
    r.s = s;
    *out = r;
    return 0;
fail:
    sb_free(&b);
    return -1;
}

int light_memstream(const struct strbuild_parts *in, struct strbuild_out *out)
{
    char *s = NULL;
    struct strbuild_out r = {.hidden = true}; /* libc's own moves are out of sight */
    FILE *f = open_memstream(&s, &r.len); /* libc grows s; fclose hands it over */

    if (f == NULL)
        return -1;
    for (size_t i = 0; i < in->n; i++) {
        if (fwrite(in->s[i], 1, in->len[i], f) != in->len[i]) /* copies into libc's buffer */
            goto fail;
        r.copied += in->len[i];
    }
    if (fclose(f) != 0 || s == NULL) /* fclose shrinks s to fit: one more realloc */
        goto fail_closed;
    r.s = s;
    *out = r;
    return 0;
fail:
    fclose(f);
fail_closed:
    free(s);
    return -1;
}
