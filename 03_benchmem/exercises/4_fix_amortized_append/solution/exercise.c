/* exercise.c: the batch, grown by doubling. n adds make about log2(n / 16) + 1
 * allocations, so a benchmark's allocs/op rounds to 0, and B/op stays under 16 (each
 * pointer is copied at most about twice in all). */
#include "exercise.h"

#include <stdint.h>
#include <stdlib.h>

int batch_add(struct batch *b, const char *item)
{
    if (b->len == b->cap) {
        size_t cap = b->cap == 0 ? BATCH_FIRST_CAP : b->cap * 2;
        const char **items;

        if (cap > SIZE_MAX / sizeof *items)
            return -1;
        items = realloc(b->items, cap * sizeof *items);
        if (items == NULL)
            return -1;
        b->items = items;
        b->cap = cap;
    }
    b->items[b->len++] = item;
    return 0;
}

void batch_free(struct batch *b)
{
    free(b->items);
    b->items = NULL;
    b->len = 0;
    b->cap = 0;
}
