/* factor.h: grow by 2 or by 1.5, and can a growing array reuse the blocks it freed? An
 * array of int64_t grows from START elements by a factor (growth.h's VEC_X2 or VEC_X1_5,
 * vec_next_cap's capacities) until it holds N elements, one of four ways:
 *
 *   FACTOR_COPY     malloc(new), memcpy, free(old): what an allocator does when it cannot
 *                   grow a block where it is, and what C++'s std::vector always does. The
 *                   old block is live while the new one is chosen, so only the blocks
 *                   freed before it can make room below it
 *   FACTOR_REALLOC  realloc alone, nothing else allocated: the block borders the top of
 *                   the heap, and glibc grows it there
 *   FACTOR_FENCE    realloc, then a small block (FACTOR_FENCE_SIZE) malloc'd after each
 *                   growth and kept to the end: whatever follows the array in a program
 *   FACTOR_PAIR     two arrays, malloc'd one after the other and grown in turn by realloc,
 *                   each to the same capacities: each is what follows the other
 *
 * At each growth, where the new block landed: its offset from the first block, whether it
 * moved, and whether it landed below the live old block (in the space the blocks freed
 * before left: "reused"). And the heap's footprint: the highest chunk end reached, from the
 * first block's chunk (its bytes where no chunk can be read), and glibc's
 * mallinfo2().arena before and after.
 *
 * The addresses are the evidence: kept as numbers, compared, never read through. Valid only
 * where glibc's malloc serves the blocks (not under Valgrind or ASan), and only in a
 * process whose heap has no free chunk of these sizes: demo/factor runs each case in a
 * fork of a fresh process.
 *
 * Allocates, counted: FACTOR_COPY 1 + growths blocks and as many frees; the realloc
 * modes 1 malloc and one realloc per growth (counted as an allocation and a free), with
 * fences one more malloc per growth, and a pair twice that of realloc alone; all freed
 * before it returns. Uncounted: the same calls to glibc's own __libc_malloc,
 * __libc_realloc and __libc_free. */
#ifndef FACTOR_H
#define FACTOR_H

#include <stdbool.h>
#include <stddef.h>

#include "growth.h"

enum factor_mode {
    FACTOR_COPY,
    FACTOR_REALLOC,
    FACTOR_FENCE,
    FACTOR_PAIR,
};

/* glibc's default M_MMAP_THRESHOLD: a request of this many bytes or more gets pages of
 * its own; every block here stays below it, in the heap. */
#define FACTOR_MMAP_THRESHOLD (128 * 1024)
/* The first capacity: past the tcache's largest request (1,032 B: 129 elements), so that
 * a freed block goes back to the heap's bins and merges with its free neighbours. */
#define FACTOR_MIN_START 130
#define FACTOR_MAX_START 8191
/* The most elements it grows to: by 2 the last block is then at most 2 x 8,192 - 2
 * elements, below the threshold's 16,384; by 1.5 at most 12,288. */
#define FACTOR_MAX_N 8192
#define FACTOR_MAX_GROWTHS 32
#define FACTOR_FENCE_SIZE 16

struct factor_step {
    size_t cap;         /* elements, after this growth (step 0: the first block) */
    size_t bytes;       /* cap * 8, what was asked */
    size_t chunk;       /* glibc's chunk for it (0 when counted, or under Valgrind: not
                         * glibc's own block) */
    long long offset;   /* the block's address less the first block's */
    bool moved;         /* a new address (FACTOR_COPY: always, after step 0) */
    bool reused;        /* below the old block: in the space the freed blocks left */
    bool fence_next;    /* FACTOR_FENCE: the fence landed right after the block */
    bool fence_below;   /* ... or below it, in space a move freed */
};

struct factor_result {
    size_t growths;
    struct factor_step step[FACTOR_MAX_GROWTHS + 1];
    struct factor_step pair[FACTOR_MAX_GROWTHS + 1]; /* FACTOR_PAIR: the second array,
                                                       * offsets from the first's first block */
    size_t pair_moves, pair_reuses;
    size_t first_reuse;      /* the first growth (1, 2, ...) that reused; 0 for none */
    size_t reuses, moves;
    long long span;          /* the highest chunk end less the first block's chunk start */
    size_t arena_before, arena_peak, arena_after; /* mallinfo2().arena, bytes */
    bool intact;             /* every element held its value to the end */
};

/* Grow from start elements (FACTOR_MIN_START to FACTOR_MAX_START) by g (VEC_X1_5 or
 * VEC_X2) until it holds n (start + 1 to FACTOR_MAX_N), in mode m; counted: through malloc, realloc and free (the counting allocator),
 * otherwise through glibc's own. 0; or -1 (out of memory, or an argument out of range),
 * everything freed. */
int factor_grow(size_t start, size_t n, enum vec_growth g, enum factor_mode m, bool counted,
                struct factor_result *r);

/* How many growths factor_grow makes from start to n by g: vec_next_cap's capacities until
 * one holds n. Pure arithmetic. */
size_t factor_growths(size_t start, size_t n, enum vec_growth g);

#endif
