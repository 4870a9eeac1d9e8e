/* boxing.c: see boxing.h. */
#include "boxing.h"

#include <stdlib.h>

#include "growth.h"

int box_reserve(struct box_list *l, size_t n)
{
    void **p;

    if (n <= l->cap)
        return 0;
    if (n > SIZE_MAX / sizeof *p)
        return -1;
    p = realloc(l->items, n * sizeof *p);
    if (p == NULL)
        return -1;
    l->items = p;
    l->cap = n;
    return 0;
}

int box_push(struct box_list *l, void *item)
{
    if (l->len == l->cap && box_reserve(l, l->cap == 0 ? 1 : l->cap * 2) != 0)
        return -1;
    l->items[l->len++] = item;
    return 0;
}

void box_free_all(struct box_list *l)
{
    for (size_t i = 0; i < l->len; i++)
        free(l->items[i]);
    free(l->items);
    *l = (struct box_list)BOX_LIST_INIT;
}

int box_sum_boxed(size_t n, int64_t *sum)
{
    struct box_list l = BOX_LIST_INIT;
    int64_t s = 0;
    int rc = -1;

    if (box_reserve(&l, n) != 0)
        goto out;
    for (size_t i = 0; i < n; i++) {
        int64_t *box = malloc(sizeof *box); /* the box: 8 bytes of value, one call */
        if (box == NULL)
            goto out;
        *box = (int64_t)i;
        if (box_push(&l, box) != 0) { /* cannot fail: reserved */
            free(box);
            goto out;
        }
    }
    for (size_t i = 0; i < l.len; i++)
        s += *(int64_t *)l.items[i];
    *sum = s;
    rc = 0;
out:
    box_free_all(&l);
    return rc;
}

int box_sum_values(size_t n, int64_t *sum)
{
    struct vec v = VEC_INIT;
    int64_t s = 0;
    int rc = -1;

    if (vec_reserve(&v, n) != 0)
        goto out;
    for (size_t i = 0; i < n; i++)
        v.v[v.len++] = (int64_t)i; /* the value itself, no box */
    for (size_t i = 0; i < v.len; i++)
        s += v.v[i];
    *sum = s;
    rc = 0;
out:
    vec_free(&v);
    return rc;
}
