/* Fix an append that reallocates on every call (1 allocs/op) so that it grows by
 * doubling.
 *
 * It works, but every add is a realloc: a benchmark reports 1 allocs/op, and 1,000 adds
 * make 1,000 allocations that ask for 4 MB in all, for 8 KB of pointers. glibc mostly
 * grows the block in place; memcheck's realloc moves it every time, copying about 4 MB.
 *
 * TODO: grow the array by doubling, from BATCH_FIRST_CAP items, so that adds are
 * 0 allocs/op once amortized, and 1,000 adds make exactly BATCH_ALLOCS_1000 allocations
 * of BATCH_BYTES_1000 bytes. A failed add must leave the batch as it was. */
#include "exercise.h"

#include <stdlib.h>

int batch_add(struct batch *b, const char *item)
{
    const char **items = realloc(b->items, (b->len + 1) * sizeof *items);

    if (items == NULL)
        return -1;
    b->items = items;
    b->cap = b->len + 1;
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
