/* growth.c: see growth.h. */
#include "growth.h"

#include <stdlib.h>

size_t vec_next_cap(size_t cap, enum vec_growth g)
{
    size_t next;

    switch (g) {
    case VEC_BY_ONE:
        next = cap + 1;
        break;
    case VEC_X1_5:
        next = cap + cap / 2;
        if (next <= cap) /* 0 and 1: cap / 2 adds nothing */
            next = cap + 1;
        break;
    default:
        next = cap == 0 ? 1 : cap * 2;
        break;
    }
    if (next <= cap || next > SIZE_MAX / sizeof(int64_t))
        return 0;
    return next;
}

/* The one place that reallocates: grow to exactly cap elements, or fail with v intact. */
static int vec_resize(struct vec *v, size_t cap)
{
    uintptr_t was = (uintptr_t)v->v; /* after a move the old pointer is dead: keep a number */
    int64_t *p = realloc(v->v, cap * sizeof *p);

    if (p == NULL)
        return -1;
    if (was != 0 && (uintptr_t)p != was)
        v->moves++;
    v->v = p;
    v->cap = cap;
    return 0;
}

int vec_push(struct vec *v, int64_t x, enum vec_growth g)
{
    if (v->len == v->cap) {
        size_t cap = vec_next_cap(v->cap, g);
        if (cap == 0 || vec_resize(v, cap) != 0)
            return -1;
    }
    v->v[v->len++] = x;
    return 0;
}

int vec_reserve(struct vec *v, size_t n)
{
    if (n <= v->cap)
        return 0;
    if (n > SIZE_MAX / sizeof(int64_t))
        return -1;
    return vec_resize(v, n);
}

void vec_free(struct vec *v)
{
    free(v->v);
    *v = (struct vec)VEC_INIT;
}

int vec_fill(size_t n, enum vec_growth g, int reserve, int64_t *sum, size_t *moves)
{
    struct vec v = VEC_INIT;
    int64_t s = 0;
    int rc = -1;

    if (reserve && vec_reserve(&v, n) != 0)
        goto out;
    for (size_t i = 0; i < n; i++) {
        if (vec_push(&v, (int64_t)i, g) != 0)
            goto out;
    }
    for (size_t i = 0; i < v.len; i++)
        s += v.v[i];
    *sum = s;
    *moves = v.moves;
    rc = 0;
out:
    vec_free(&v);
    return rc;
}
