/* big.c: see big.h. */
#include "big.h"

int64_t big_pick_value(struct big b, unsigned i)
{
    return b.a[i % 128];
}

int64_t big_pick_pointer(const struct big *b, unsigned i)
{
    return b->a[i % 128];
}
