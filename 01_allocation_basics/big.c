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

/* b is read after the call, so the call is not a tail call: every level keeps its frame. */
int64_t big_depth_value(struct big b, unsigned depth)
{
    int64_t below = depth > 1 ? big_depth_value(b, depth - 1) : 0;

    return below + b.a[depth % 128];
}

int64_t big_depth_pointer(const struct big *b, unsigned depth)
{
    int64_t below = depth > 1 ? big_depth_pointer(b, depth - 1) : 0;

    return below + b->a[depth % 128];
}
