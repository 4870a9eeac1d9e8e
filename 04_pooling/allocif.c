/* allocif.c: three allocators behind one function, a counting decorator, and a parser
 * written once against them. See allocif.h for the contract. */
#include "allocif.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the heap ---- */

static void *heap_fn(void *ctx, void *p, size_t old, size_t n)
{
    (void)ctx;
    (void)old; /* malloc keeps its own sizes */
    if (n == 0) {
        free(p);
        return NULL;
    }
    return p == NULL ? malloc(n) : realloc(p, n);
}

struct allocif allocif_heap(void)
{
    return (struct allocif){heap_fn, NULL};
}

/* ---- the arena ---- */

static void *arena_fn(void *ctx, void *p, size_t old, size_t n)
{
    void *q;

    if (n == 0)
        return NULL; /* the arena frees everything at its reset */
    if (p != NULL && n <= old)
        return p;
    q = arena_alloc(ctx, n);
    if (q != NULL && p != NULL)
        memcpy(q, p, old);
    return q;
}

struct allocif allocif_arena(struct arena *ar)
{
    return (struct allocif){arena_fn, ar};
}

/* ---- the fixed buffer ---- */

size_t allocif_buf_block(size_t n)
{
    if (n > SIZE_MAX - ALLOCIF_ALIGN)
        return 0;
    return (n + ALLOCIF_ALIGN - 1) & ~(size_t)(ALLOCIF_ALIGN - 1);
}

/* True when p, of old bytes, is the last block handed out. */
static int is_last(const struct allocif_buf *b, const char *p, size_t old)
{
    return p + allocif_buf_block(old) == b->base + b->used;
}

static void *buf_fn(void *ctx, void *p, size_t old, size_t n)
{
    struct allocif_buf *b = ctx;
    size_t need = allocif_buf_block(n), at = b->used;
    char *q;

    if (n == 0) {
        if (p != NULL && is_last(b, p, old))
            b->used = (size_t)((char *)p - b->base);
        return NULL;
    }
    if (p != NULL && is_last(b, p, old))
        at = (size_t)((char *)p - b->base); /* the last block: resized where it is */
    else if (p != NULL && n <= old)
        return p;
    if (need == 0 || need > b->size - at) {
        errno = ENOMEM;
        return NULL;
    }
    q = b->base + at;
    if (p != NULL && q != p)
        memcpy(q, p, old);
    b->used = at + need;
    if (b->used > b->high)
        b->high = b->used;
    return q;
}

struct allocif allocif_buf(struct allocif_buf *b, void *mem, size_t size)
{
    uintptr_t at = (uintptr_t)mem;
    size_t skip = (size_t)(-at & (ALLOCIF_ALIGN - 1)); /* to the first aligned byte */

    *b = (struct allocif_buf){(char *)mem + (skip < size ? skip : size),
                              skip < size ? size - skip : 0, 0, 0};
    return (struct allocif){buf_fn, b};
}

void allocif_buf_reset(struct allocif_buf *b)
{
    b->used = 0;
}

/* ---- the counting decorator ---- */

static void *count_fn(void *ctx, void *p, size_t old, size_t n)
{
    struct allocif_count *c = ctx;
    void *q = c->inner.fn(c->inner.ctx, p, old, n);

    if (n == 0) {
        if (p != NULL) {
            c->frees++;
            c->freed += old;
        }
        return q;
    }
    if (q == NULL)
        return NULL; /* a failed call counts nothing */
    c->allocs++;
    c->bytes += n;
    if (p != NULL) {
        c->frees++;
        c->freed += old;
    }
    return q;
}

struct allocif allocif_count(struct allocif_count *c, struct allocif inner)
{
    *c = (struct allocif_count){.inner = inner};
    return (struct allocif){count_fn, c};
}

/* ---- the job ---- */

/* A copy of s[0..n) as a string from a, or NULL. */
static char *copy(const struct allocif *a, const char *s, size_t n)
{
    char *d = allocif_alloc(a, n + 1);

    if (d != NULL) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

/* Free the first `done` records' strings, last first, then the block of `lines` records. */
static void free_recs(const struct allocif *a, struct kv *recs, size_t done, size_t lines)
{
    for (size_t i = done; i-- > 0;) {
        allocif_free(a, recs[i].value, strlen(recs[i].value) + 1);
        allocif_free(a, recs[i].key, strlen(recs[i].key) + 1);
    }
    allocif_free(a, recs, lines * sizeof *recs);
}

void kv_free(const struct allocif *a, struct kvtab *t)
{
    if (t == NULL)
        return;
    free_recs(a, t->recs, t->n, t->n);
    *t = (struct kvtab)KVTAB_INIT;
}

/* The length of the line at text[at..len), its '\n' left out. */
static size_t line_len(const char *text, size_t at, size_t len)
{
    const char *nl = memchr(text + at, '\n', len - at);

    return nl != NULL ? (size_t)(nl - (text + at)) : len - at;
}

int kv_parse(const struct allocif *a, const char *text, size_t len, struct kvtab *out)
{
    struct kv *recs = NULL;
    size_t lines = 0, done, at;
    int err;

    for (at = 0; at < len; at += line_len(text, at, len) + 1)
        lines++;
    if (lines > SIZE_MAX / sizeof *recs) {
        errno = ENOMEM;
        return -1;
    }
    if (lines > 0 && (recs = allocif_alloc(a, lines * sizeof *recs)) == NULL)
        return -1;
    for (done = 0, at = 0; done < lines; done++) {
        size_t n = line_len(text, at, len);
        const char *s = text + at, *eq = memchr(s, '=', n);

        if (eq == NULL) {
            errno = EINVAL;
            goto fail;
        }
        recs[done].key = copy(a, s, (size_t)(eq - s));
        if (recs[done].key == NULL)
            goto fail;
        recs[done].value = copy(a, eq + 1, n - (size_t)(eq - s) - 1);
        if (recs[done].value == NULL) {
            allocif_free(a, recs[done].key, (size_t)(eq - s) + 1);
            goto fail;
        }
        at += n + 1;
    }
    *out = (struct kvtab){recs, lines};
    return 0;

fail:
    err = errno; /* an allocator's free may set it */
    free_recs(a, recs, done, lines);
    errno = err;
    return -1;
}

size_t kv_sample(uint64_t n, char *out, size_t size)
{
    size_t len = 0;

    if (out != NULL && size == 0)
        return 0;
    if (out != NULL)
        out[0] = '\0';
    for (uint64_t i = 0; i < n; i++) {
        int w = snprintf(out != NULL ? out + len : NULL, out != NULL ? size - len : 0,
                         "key%llu=value%llu\n", (unsigned long long)i,
                         (unsigned long long)(i * 7));

        if (w < 0)
            return 0;
        len += (size_t)w;
        if (out != NULL && len >= size)
            return 0;
    }
    return len;
}
