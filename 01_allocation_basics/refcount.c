/* refcount.c: see refcount.h. */
#include "refcount.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#define RC_FIRST_CAP 4 /* the kids block's first size, then doubled */

struct rc_node *rc_new(void)
{
    struct rc_node *n = malloc(sizeof *n);

    if (n == NULL)
        return NULL;
    *n = (struct rc_node){.refs = 1};
    return n;
}

struct rc_node *rc_retain(struct rc_node *n)
{
    n->refs++;
    return n;
}

void rc_release(struct rc_node *n)
{
    if (n == NULL || --n->refs > 0)
        return;
    for (size_t i = 0; i < n->nkids; i++) {
        struct rc_node *kid = n->kids[i];

        kid->parent = NULL; /* a weak pointer is cleared, never left dangling */
        kid->parent_counted = false;
        rc_release(kid);
    }
    if (n->parent_counted)
        rc_release(n->parent);
    free(n->kids);
    free(n);
}

int rc_reserve(struct rc_node *parent, size_t n)
{
    struct rc_node **kids;

    if (n <= parent->cap)
        return 0;
    if (n > SIZE_MAX / sizeof *kids) {
        errno = ENOMEM;
        return -1;
    }
    if ((kids = realloc(parent->kids, n * sizeof *kids)) == NULL)
        return -1; /* the old block is still the parent's */
    parent->kids = kids;
    parent->cap = n;
    return 0;
}

int rc_adopt(struct rc_node *parent, struct rc_node *child, bool strong)
{
    if (child->parent != NULL || child == parent) {
        errno = EINVAL;
        return -1;
    }
    if (parent->nkids == parent->cap &&
        rc_reserve(parent, parent->cap == 0 ? RC_FIRST_CAP : 2 * parent->cap) != 0)
        return -1;
    parent->kids[parent->nkids++] = rc_retain(child);
    child->parent = strong ? rc_retain(parent) : parent;
    child->parent_counted = strong;
    return 0;
}

void rc_unlink(struct rc_node *parent)
{
    rc_retain(parent); /* alive until the last back-pointer is gone */
    for (size_t i = 0; i < parent->nkids; i++) {
        struct rc_node *kid = parent->kids[i];
        bool counted = kid->parent_counted;

        kid->parent = NULL;
        kid->parent_counted = false;
        if (counted)
            rc_release(parent);
    }
    rc_release(parent); /* frees it now if nothing outside held it */
}

struct rc_node *rc_tree_new(size_t n, bool strong)
{
    struct rc_node *parent = rc_new(), *kid;

    if (parent == NULL)
        return NULL;
    if (rc_reserve(parent, n) != 0)
        goto fail;
    for (size_t i = 0; i < n; i++) {
        if ((kid = rc_new()) == NULL)
            goto fail;
        if (rc_adopt(parent, kid, strong) != 0) { /* not with room reserved; checked anyway */
            rc_release(kid);
            goto fail;
        }
        rc_release(kid); /* the parent holds it now */
    }
    return parent;
fail:
    rc_unlink(parent); /* with strong back-pointers the half-built tree is a cycle */
    rc_release(parent);
    return NULL;
}
