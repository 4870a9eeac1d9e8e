/* store.c: the store of exercise.h, given: its entries and freeing what it keeps. The
 * exercise is keep_fields, in exercise.c. */
#include "exercise.h"

#include <stdint.h>
#include <stdlib.h>

int store_init(struct store *st, size_t cap)
{
    struct kept_msg *msgs;

    if (cap == 0 || cap > SIZE_MAX / sizeof *msgs)
        return -1;
    if ((msgs = malloc(cap * sizeof *msgs)) == NULL)
        return -1;
    *st = (struct store){cap, 0, msgs};
    return 0;
}

void store_free(struct store *st)
{
    if (st == NULL)
        return;
    for (size_t i = 0; i < st->count; i++)
        free(st->msgs[i].block);
    free(st->msgs);
    *st = (struct store){0, 0, NULL};
}
