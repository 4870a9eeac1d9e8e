/* exercise.c: the batch, grown by doubling. n adds make about log2(n / 16) + 1
 * allocations, so a benchmark's allocs/op rounds to 0. B/op stays under 32 for n of 16
 * or more: the arrays asked for add up to less than twice the last one, which holds fewer
 * than 2n pointers (1,000 adds ask for 16,256 B, 16 B/op; 1,025 adds, 32,640 B,
 * 31 B/op). Where realloc moves the array, a pointer is copied fewer than twice on
 * average, though the first ones are copied at every move. */
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
