/* corners.h: realloc's corners, for lesson 01: what realloc(p, 0) does, whether a shrink
 * or a growth keeps the block where it is, and what `p = realloc(p, n)` loses when it
 * fails. Each corner is a function that reports what happened instead of assuming it.
 *
 * Ownership: every function frees what it allocated before it returns. Out of memory:
 * they return -1 having freed everything. */
#ifndef CORNERS_H
#define CORNERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* glibc's own malloc, realloc and free, under the counting allocator (which answers
 * realloc(p, 0) itself, the way memcheck counts it). */
void *corners_glibc_malloc(size_t n);
void *corners_glibc_realloc(void *p, size_t n);
void corners_glibc_free(void *p);

/* glibc's own realloc(p, 0) of a live block of `size` bytes: whether it returned NULL,
 * and whether the block was freed (the next malloc of that size hands it out again). */
struct corners_zero {
    bool returned_null;
    bool freed;
};
int corners_realloc_zero(size_t size, struct corners_zero *out);

/* realloc from `from` to `to` bytes, with a live block right after the first one
 * (fence) or a free one there (no fence). Whether the block stayed where it was. */
struct corners_move {
    bool in_place;       /* the same address came back */
    bool mmapped_before; /* the block had pages of its own (glibc's mmap threshold) */
    size_t chunk_before; /* glibc's chunk around the block, bytes, before and after */
    size_t chunk_after;
};
int corners_realloc_move(size_t from, size_t to, bool fence, struct corners_move *out);

/* The trap: `p = realloc(p, n)` with an n realloc refuses. Reports what the caller is
 * left with: p (NULL), and the old block, still allocated with its bytes intact, that
 * nothing points to any more. (Here a copy of the pointer frees it afterwards.) */
struct corners_lost {
    bool p_null;          /* p after the assignment */
    bool block_intact;    /* the old block still holds what was written */
    int64_t live_blocks;  /* heap_objects it left behind: 1, the lost block */
};
int corners_realloc_lose(size_t size, size_t huge, struct corners_lost *out);

#endif
