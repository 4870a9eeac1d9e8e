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

/* Step k's record of block p in s (a number kept, never read through again); its move and
 * reuse counted in *moves, *reuses and r->first_reuse (r's own array only). */
static void record(struct factor_result *r, struct factor_step *s, size_t k, uintptr_t p,
                   uintptr_t first, uintptr_t old, size_t cap, bool counted)
{
    long long end;
    size_t arena = mallinfo2().arena;

    s->cap = cap;
    s->bytes = cap * sizeof(int64_t);
    /* Valgrind's blocks carry no glibc header to read */
    s->chunk = counted || RUNNING_ON_VALGRIND ? 0 : platform_chunk_of((const void *)p).size;
    s->offset = (long long)(p - first);
    s->moved = k > 0 && p != old;
    s->reused = k > 0 && p < old;
    if (s == &r->step[k]) {
        r->moves += s->moved;
        r->reuses += s->reused;
        if (s->reused && r->first_reuse == 0)
            r->first_reuse = k;
    } else {
        r->pair_moves += s->moved;
        r->pair_reuses += s->reused;
    }
    end = s->offset + (long long)(s->chunk == 0 ? s->bytes : s->chunk);
    if (end > r->span)
        r->span = end;
    if (arena > r->arena_peak)
        r->arena_peak = arena;
}

/* Grow *v from cap to next elements in mode m (FACTOR_PAIR grows by realloc). 0, or -1
 * with *v as it was. */
static int grow(const struct heap *h, int64_t **v, size_t cap, size_t next, enum factor_mode m)
{
    int64_t *q;

    if (m == FACTOR_COPY) {
        if ((q = h->malloc(next * sizeof *q)) == NULL)
            return -1;
        memcpy(q, *v, cap * sizeof *q);
        h->free(*v);
    } else if ((q = h->realloc(*v, next * sizeof *q)) == NULL) {
        return -1;
    }
    *v = q;
    fill(q, cap, next);
    return 0;
}

int factor_grow(size_t start, size_t n, enum vec_growth g, enum factor_mode m, bool counted,
                struct factor_result *r)
{
    const struct heap *h = counted ? &counted_heap : &glibc_heap;
    void *fence[FACTOR_MAX_GROWTHS] = {0};
    size_t nfence = 0, cap = start, growths = factor_growths(start, n, g);
    int64_t *v, *w = NULL;
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
    record(r, &r->step[0], 0, first, first, first, cap, counted);
    if (m == FACTOR_PAIR) {
        if ((w = h->malloc(cap * sizeof *w)) == NULL)
            goto out;
        fill(w, 0, cap);
        record(r, &r->pair[0], 0, (uintptr_t)w, first, (uintptr_t)w, cap, counted);
    }
    for (size_t k = 1; k <= growths; k++) {
        size_t next = vec_next_cap(cap, g);
        uintptr_t old = (uintptr_t)v; /* after a move the old pointer is dead: keep a number */
        uintptr_t old_w = (uintptr_t)w;

        if (grow(h, &v, cap, next, m) != 0)
            goto out;
        record(r, &r->step[k], k, (uintptr_t)v, first, old, next, counted);
        if (m == FACTOR_PAIR) {
            if (grow(h, &w, cap, next, m) != 0)
                goto out;
            record(r, &r->pair[k], k, (uintptr_t)w, first, old_w, next, counted);
        }
        cap = next;
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
        r->intact = r->intact && v[i] == (int64_t)i && (w == NULL || w[i] == (int64_t)i);
    rc = 0;
out:
    h->free(v);
    h->free(w);
    while (nfence > 0)
        h->free(fence[--nfence]);
    r->arena_after = mallinfo2().arena;
    return rc;
}
