/* sb.c: see sb.h. Every function that allocates either completes or leaves the builder
 * as it found it. */
#include "sb.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

size_t sb_grow_cap(size_t cap, size_t need)
{
    size_t next;

    if (cap == 0)
        next = SB_MIN_CAP;
    else if (cap > SIZE_MAX / SB_GROWTH)
        next = need; /* doubling would overflow: take what is asked, no more */
    else
        next = cap * SB_GROWTH;
    return next < need ? need : next;
}

/* Grow the buffer to `to` bytes (terminator included). One realloc; on failure
 * nothing changes. */
static int resize(struct sb *b, size_t to)
{
    char *p = realloc(b->buf, to);

    if (p == NULL) {
        errno = ENOMEM;
        return -1;
    }
    if (b->buf == NULL)
        p[0] = '\0';
    b->buf = p;
    b->cap = to;
    return 0;
}

/* Bytes needed to hold len + n bytes and the terminator, or 0 if that overflows. */
static size_t need_for(const struct sb *b, size_t n)
{
    if (n > SIZE_MAX - 1 - b->len)
        return 0;
    return b->len + n + 1;
}

void sb_free(struct sb *b)
{
    if (b == NULL)
        return;
    free(b->buf);
    *b = (struct sb)SB_INIT;
}

void sb_reset(struct sb *b)
{
    b->len = 0;
    if (b->buf != NULL)
        b->buf[0] = '\0';
}

char *sb_detach(struct sb *b, size_t *len)
{
    char *s = b->buf;

    if (s == NULL) {
        s = malloc(1);
        if (s == NULL) {
            errno = ENOMEM;
            return NULL;
        }
        s[0] = '\0';
    }
    if (len != NULL)
        *len = b->len;
    *b = (struct sb)SB_INIT;
    return s;
}

int sb_reserve(struct sb *b, size_t n)
{
    size_t need = need_for(b, n);

    if (need == 0) {
        errno = EOVERFLOW;
        return -1;
    }
    if (need <= b->cap)
        return 0;
    if (b->buf == NULL) /* the first buffer: exactly what was asked (Go's Grow) */
        return resize(b, need < SB_MIN_CAP ? SB_MIN_CAP : need);
    return resize(b, sb_grow_cap(b->cap, need));
}

int sb_append_slow(struct sb *b, const void *p, size_t n)
{
    size_t need = need_for(b, n);

    if (need == 0) {
        errno = EOVERFLOW;
        return -1;
    }
    if (need > b->cap && resize(b, sb_grow_cap(b->cap, need)) != 0)
        return -1;
    memcpy(b->buf + b->len, p, n);
    b->len += n;
    b->buf[b->len] = '\0';
    return 0;
}

int sb_vprintf(struct sb *b, const char *fmt, va_list ap)
{
    va_list again;
    size_t need;
    int n;

    va_copy(again, ap);
    /* First try: straight into the free room (none yet: measure only). */
    n = vsnprintf(b->buf != NULL ? b->buf + b->len : NULL, b->cap - b->len, fmt, ap);
    if (n < 0)
        goto fail_format;
    if ((size_t)n < b->cap - b->len) { /* it fitted, terminator included */
        b->len += (size_t)n;
        goto out;
    }
    /* It did not fit: vsnprintf wrote a truncated copy past len; put the end back. */
    if (b->buf != NULL)
        b->buf[b->len] = '\0';
    need = need_for(b, (size_t)n);
    if (need == 0)
        goto fail_format;
    if (resize(b, sb_grow_cap(b->cap, need)) != 0)
        goto fail;
    vsnprintf(b->buf + b->len, b->cap - b->len, fmt, again);
    b->len += (size_t)n;
out:
    va_end(again);
    return 0;
fail_format:
    if (b->buf != NULL)
        b->buf[b->len] = '\0'; /* whatever vsnprintf left there is not content */
    errno = EOVERFLOW;
fail:
    va_end(again);
    return -1;
}

int sb_printf(struct sb *b, const char *fmt, ...)
{
    va_list ap;
    int rc;

    va_start(ap, fmt);
    rc = sb_vprintf(b, fmt, ap);
    va_end(ap);
    return rc;
}
