/* growth.h: a growable array of int64_t, Go's []int64 with append, and four ways to
 * grow it. The struct lives wherever the caller puts it (stack, another struct); the
 * array owns its element block, released by vec_free. Out of memory: vec_push and
 * vec_reserve return -1 and leave the array exactly as it was (old block, len, cap).
 *
 *   VEC_BY_ONE    realloc to len + 1 on every push: one allocation per append, and up
 *                 to len elements copied each time (O(n^2) bytes moved, unless realloc
 *                 happens to grow the block in place)
 *   VEC_X1_5      capacity to cap + cap / 2 (at least len + 1): about log1.5(n) allocations
 *   VEC_X2        capacity doubled (1, 2, 4, ...): 1 + ceil(log2(n)) allocations, like
 *                 Go's append while a slice is short (past 256 elements it grows less)
 *   vec_reserve   the final size first, Go's make([]T, 0, n): exactly 1 allocation */
#ifndef GROWTH_H
#define GROWTH_H

#include <stddef.h>
#include <stdint.h>

enum vec_growth {
    VEC_BY_ONE,
    VEC_X1_5,
    VEC_X2,
};

struct vec {
    int64_t *v;   /* cap elements, the first len in use; NULL while cap is 0 */
    size_t len;   /* elements in use */
    size_t cap;   /* elements allocated */
    size_t moves; /* reallocs that returned a new address (the old block was copied) */
};

#define VEC_INIT {NULL, 0, 0, 0}

/* Append x, growing by policy g when full. 0, or -1 when out of memory (v unchanged). */
int vec_push(struct vec *v, int64_t x, enum vec_growth g);

/* Make room for at least n elements in all, with one realloc at most. 0, or -1 when out
 * of memory (v unchanged). Allocates nothing when cap >= n already. */
int vec_reserve(struct vec *v, size_t n);

/* The capacity policy g picks when a full array of cap elements needs one more; 0 when
 * it would overflow size_t. Pure arithmetic: tests and docs use it to predict counts. */
size_t vec_next_cap(size_t cap, enum vec_growth g);

/* Release the elements; v is empty (VEC_INIT) afterwards. vec_free of an empty vec does
 * nothing. */
void vec_free(struct vec *v);

/* The job of make run-01: append 0, 1, ..., n-1 to a fresh array grown by g, or reserved
 * first when reserve is nonzero, and return their sum in *sum and the moves in *moves.
 * 0, or -1 when out of memory, having freed everything and left *sum and *moves alone. */
int vec_fill(size_t n, enum vec_growth g, int reserve, int64_t *sum, size_t *moves);

#endif
