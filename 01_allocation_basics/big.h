/* big.h: a 1 KiB struct passed by value and by pointer: "pass pointers to large
 * structs", tested. Neither allocates: by value copies all 1,024 bytes onto the callee's
 * stack on every call, by pointer passes 8 bytes. The functions live in big.c, another
 * translation unit, so the compiler cannot inline the copy away. */
#ifndef BIG_H
#define BIG_H

#include <stdint.h>

struct big {
    int64_t a[128]; /* 1,024 bytes */
};

/* a[i % 128] of a copy of b. */
int64_t big_pick_value(struct big b, unsigned i);

/* a[i % 128] of *b, read in place. */
int64_t big_pick_pointer(const struct big *b, unsigned i);

/* The same sum of a[] read at depth levels of recursion, b passed down by value (a copy
 * of 1,024 bytes per level on the stack: depth KiB at the bottom) or by pointer (8 bytes
 * per level). No allocation either way; massif --stacks=yes shows the difference. */
int64_t big_depth_value(struct big b, unsigned depth);
int64_t big_depth_pointer(const struct big *b, unsigned depth);

#endif
