/* factor.c: see factor.h. */
#include "factor.h"

#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "platform.h"

#include <valgrind/valgrind.h>

struct heap {
    void *(*malloc)(size_t);
    void *(*realloc)(void *, size_t);
    void (*free)(void *);
};

static void *counted_malloc(size_t n)
{
    return malloc(n);
}

static void *counted_realloc(void *p, size_t n)
{
    return realloc(p, n);
}

static void counted_free(void *p)
{
    free(p);
}

static const struct heap counted_heap = {counted_malloc, counted_realloc, counted_free};
static const struct heap glibc_heap = {__libc_malloc, __libc_realloc, __libc_free};

size_t factor_growths(size_t start, size_t n, enum vec_growth g)
{
    size_t growths = 0;

    for (size_t cap = start; cap != 0 && cap < n; cap = vec_next_cap(cap, g))
        growths++;
    return growths;
}

static void fill(int64_t *v, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++)
        v[i] = (int64_t)i;
}

/* The step's record of block p (a number kept, never read through again). */
static void record(struct factor_result *r, size_t k, uintptr_t p, uintptr_t first,
                   uintptr_t old, size_t cap, bool counted)
{
    struct factor_step *s = &r->step[k];
    long long end;

    s->cap = cap;
    s->bytes = cap * sizeof(int64_t);
    /* Valgrind's blocks carry no glibc header to read */
    s->chunk = counted || RUNNING_ON_VALGRIND ? 0 : platform_chunk_of((const void *)p).size;
    s->offset = (long long)(p - first);
    s->moved = k > 0 && p != old;
    s->reused = k > 0 && p < old;
    if (s->moved)
        r->moves++;
    if (s->reused) {
        r->reuses++;
        if (r->first_reuse == 0)
            r->first_reuse = k;
    }
    end = s->offset + (long long)(s->chunk == 0 ? s->bytes : s->chunk);
    if (end > r->span)
        r->span = end;
    if (mallinfo2().arena > r->arena_peak)
        r->arena_peak = mallinfo2().arena;
}

int factor_grow(size_t start, size_t n, enum vec_growth g, enum factor_mode m, bool counted,
                struct factor_result *r)
{
    const struct heap *h = counted ? &counted_heap : &glibc_heap;
    void *fence[FACTOR_MAX_GROWTHS] = {0};
    size_t nfence = 0, cap = start, growths = factor_growths(start, n, g);
    int64_t *v, *q;
    uintptr_t first;
    int rc = -1;

    if (start < FACTOR_MIN_START || start > FACTOR_MAX_START || n <= start || n > FACTOR_MAX_N ||
        (g != VEC_X1_5 && g != VEC_X2) || growths > FACTOR_MAX_GROWTHS)
        return -1;
    memset(r, 0, sizeof *r);
    r->arena_before = mallinfo2().arena;
    if ((v = h->malloc(cap * sizeof *v)) == NULL)
        return -1;
    fill(v, 0, cap);
    first = (uintptr_t)v;
    record(r, 0, first, first, first, cap, counted);
    for (size_t k = 1; k <= growths; k++) {
        size_t next = vec_next_cap(cap, g);
        uintptr_t old = (uintptr_t)v; /* after a move the old pointer is dead: keep a number */

        if (m == FACTOR_COPY) {
            if ((q = h->malloc(next * sizeof *q)) == NULL)
                goto out;
            memcpy(q, v, cap * sizeof *v);
            h->free(v);
        } else if ((q = h->realloc(v, next * sizeof *q)) == NULL) {
            goto out;
        }
        v = q;
        fill(v, cap, next);
        cap = next;
        record(r, k, (uintptr_t)v, first, old, cap, counted);
        if (m == FACTOR_FENCE) {
            if ((fence[nfence] = h->malloc(FACTOR_FENCE_SIZE)) == NULL)
                goto out;
            if (r->step[k].chunk != 0) {
                r->step[k].fence_next = (uintptr_t)fence[nfence] == (uintptr_t)v + r->step[k].chunk;
                r->step[k].fence_below = (uintptr_t)fence[nfence] < (uintptr_t)v;
            }
            nfence++;
        }
    }
    r->growths = growths;
    r->intact = true;
    for (size_t i = 0; i < cap; i++)
        r->intact = r->intact && v[i] == (int64_t)i;
    rc = 0;
out:
    h->free(v);
    while (nfence > 0)
        h->free(fence[--nfence]);
    r->arena_after = mallinfo2().arena;
    return rc;
}
