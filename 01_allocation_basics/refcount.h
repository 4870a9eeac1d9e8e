/* refcount.h: shared ownership by reference counting, for lesson 01. A node is one block
 * that carries a count of the references held to it; the last rc_release frees it at
 * once, and releases the children it holds, which may free them in turn. A parent with
 * children built two ways: each child's back-pointer to its parent counted (strong),
 * which makes a cycle that no release frees, or not counted (weak), which does not.
 *
 * Ownership: rc_new and rc_tree_new hand the caller one reference, given back with
 * rc_release (which does nothing for NULL). A node holds one reference to each child,
 * and one to its parent when the back-pointer is strong. Out of memory: NULL or -1,
 * nothing left allocated, the nodes passed in as they were. */
#ifndef REFCOUNT_H
#define REFCOUNT_H

#include <stdbool.h>
#include <stddef.h>

struct rc_node {
    size_t refs;             /* references held to this node: 1 at rc_new */
    struct rc_node *parent;  /* the back-pointer, NULL at the root */
    bool parent_counted;     /* strong back-pointer: it holds one of the parent's refs */
    size_t nkids, cap;       /* children held, and room for them in kids */
    struct rc_node **kids;   /* one block of cap pointers; each child counted */
};

/* A node with a count of 1 and no children: one allocation of sizeof(struct rc_node). */
struct rc_node *rc_new(void);

/* One more reference to n; returns n. Allocates nothing. */
struct rc_node *rc_retain(struct rc_node *n);

/* Give one reference back. At 0 the node is freed now: each child's back-pointer is
 * cleared (a weak one) and the child released, the parent released if the back-pointer
 * was counted, then the kids block and the node. Allocates nothing. */
void rc_release(struct rc_node *n);

/* Room for n children in all: one realloc of the kids block, none when it has room. */
int rc_reserve(struct rc_node *parent, size_t n);

/* parent takes a reference to child and child points back at parent, counted when
 * strong. The kids block doubles when full (from 4). 0, or -1 out of memory with both
 * nodes as they were. A child has one parent: -1 (EINVAL) when it has one already. */
int rc_adopt(struct rc_node *parent, struct rc_node *child, bool strong);

/* A parent and n children, each child's back-pointer strong or weak: n + 2 allocations
 * (the nodes and one kids block of n pointers; n + 1 when n is 0). The caller holds one
 * reference to the parent; with strong back-pointers each child holds one more, so
 * rc_release of the caller's leaves the whole cycle allocated. NULL out of memory. */
struct rc_node *rc_tree_new(size_t n, bool strong);

/* Break the cycle: every child's back-pointer cleared, and each counted one released.
 * What a cycle collector does to garbage it found. parent must be alive (the caller
 * reaches it); if only the back-pointers kept it, it and its children are freed here. */
void rc_unlink(struct rc_node *parent);

#endif
