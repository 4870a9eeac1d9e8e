/* benchmem.c: the line buffer, the records and the digest sink of benchmem.h. */
#include "benchmem.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

int benchmem_buf_printf(struct benchmem_buf *b, const char *fmt, ...)
{
    va_list ap, again;
    size_t cap;
    char *p;
    int len;

    va_start(ap, fmt);
    va_copy(again, ap);
    len = vsnprintf(b->p, b->cap, fmt, ap); /* the hot path: the line fits */
    if (len < 0 || (size_t)len < b->cap)
        goto out;
    cap = b->cap ? b->cap * 2 : BENCHMEM_BUF_MIN;
    while (cap < (size_t)len + 1)
        cap *= 2;
    p = realloc(b->p, cap); /* one alloc + one free, or one alloc the first time */
    if (p == NULL) {
        if (b->p != NULL)
            b->p[0] = '\0'; /* the old line was cut short by the failed attempt */
        len = -1;
        goto out;
    }
    b->p = p;
    b->cap = cap;
    len = vsnprintf(b->p, b->cap, fmt, again);
out:
    va_end(again);
    va_end(ap);
    return len;
}

void benchmem_buf_free(struct benchmem_buf *b)
{
    free(b->p);
    b->p = NULL;
    b->cap = 0;
}

void benchmem_records_make(struct record *recs, size_t n)
{
    static const char *const users[] = {
        "ada", "grace", "linus", "ken", "dennis", "barbara", "margaret", "edsger",
        "donald", "frances", "john", "radia", "bjarne", "guido", "rob", "niklaus",
    };
    uint64_t x = 0x9e3779b97f4a7c15u; /* splitmix64's increment, as a fixed seed */

    for (size_t i = 0; i < n; i++) {
        x += 0x9e3779b97f4a7c15u;
        recs[i] = (struct record){
            .id = 100000 + i,
            .user = users[(x >> 40) % (sizeof users / sizeof users[0])],
            .qty = (int32_t)(1 + (x >> 20) % 50),
            .cents = (uint32_t)(99 + (x >> 8) % 100000),
        };
    }
}

void benchmem_digest_write(void *ctx, const char *line, size_t len)
{
    struct benchmem_digest *d = ctx;

    d->h = hash_fnv(d->h, line, len);
    d->bytes += len;
}
