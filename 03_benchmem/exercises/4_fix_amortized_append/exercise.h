/* exercise.h: lesson 03, fix: an append that a benchmark reports at 1 allocs/op. The
 * handle lives where the caller puts it (struct batch b = BATCH_INIT;); the batch owns
 * its array, the items stay the caller's. Out of memory: batch_add returns -1 and the
 * batch is exactly as it was.
 *
 * The budget: a benchmark of batch_add reports 0 allocs/op (testing.AllocsPerRun over
 * 1,000 calls), and 1,000 adds to an empty batch make exactly BATCH_ALLOCS_1000
 * allocations of BATCH_BYTES_1000 bytes: the array grows by doubling, from
 * BATCH_FIRST_CAP items. */
#ifndef EXERCISE_H
#define EXERCISE_H

#include <stddef.h>

#define BATCH_FIRST_CAP 16     /* items of the first array */
#define BATCH_ALLOCS_1000 7    /* 16, 32, 64, 128, 256, 512, 1,024 items */
#define BATCH_BYTES_1000 16256 /* 8 bytes each: 8 * (16 + 32 + ... + 1,024) */

struct batch {
    const char **items; /* len items; room for cap */
    size_t len;
    size_t cap;
};

#define BATCH_INIT {NULL, 0, 0}

/* Append item (the pointer, not a copy). 0, or -1 when out of memory. */
int batch_add(struct batch *b, const char *item);

/* Free the array; b is empty (BATCH_INIT) afterwards. */
void batch_free(struct batch *b);

#endif
