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

#endif
