/* boxing.h: a generic list of void * (the C shape of Go's []any or a Python list),
 * against a plain array of values. Putting an int into the generic list means boxing
 * it: one malloc per value, like Go's any(n) for an n the runtime has no static copy of
 * (Go boxes 0..255 and constants for free; go/ shows both). The list owns its pointer array; whoever boxed the items owns them (box_free_all
 * frees both). Out of memory: box_push returns -1 and leaves the list as it was. */
#ifndef BOXING_H
#define BOXING_H

#include <stddef.h>
#include <stdint.h>

struct box_list {
    void **items; /* cap pointers, the first len in use */
    size_t len;
    size_t cap;
};

#define BOX_LIST_INIT {NULL, 0, 0}

/* Make room for n pointers in all (one realloc at most). 0, or -1 when out of memory. */
int box_reserve(struct box_list *l, size_t n);

/* Append item (doubling when full). 0, or -1 when out of memory (l unchanged). */
int box_push(struct box_list *l, void *item);

/* free() every item, then the pointer array; l is empty afterwards. */
void box_free_all(struct box_list *l);

/* The boxed job: n int64_t values 0..n-1, each malloc'd and pushed into a reserved
 * box_list, then summed through the pointers: n + 1 allocations. */
int box_sum_boxed(size_t n, int64_t *sum);

/* The unboxed job: the same values in one reserved int64_t array: 1 allocation.
 * Both return 0 and set *sum, or -1 when out of memory with everything freed and *sum
 * left alone. */
int box_sum_values(size_t n, int64_t *sum);

#endif
