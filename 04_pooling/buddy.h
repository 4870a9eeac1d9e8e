/* buddy: a buddy allocator over one region of 2^k bytes, an answer to "design an allocator
 * for a fixed region" and the shape of Linux's page allocator. Every block is 2^o bytes
 * for an order o from min to k, and lies at a multiple of its size from the region's
 * start; its buddy is the block of the same order beside it, at offset XOR 2^o.
 *
 *   struct buddy b;
 *   buddy_init(&b, 12, 4);              // 4 KiB in one malloc, blocks of 16 B and up
 *   char *p = buddy_alloc(&b, 100);     // a 128-byte block; NULL: none free
 *   buddy_free(&b, p);                  // merged with its buddy while the buddy is free
 *   buddy_destroy(&b);                  // the region goes back to malloc
 *
 * The design:
 *   - a free list per order, linked through the free blocks themselves (two links, so a
 *     block of 2^min bytes, min >= BUDDY_MIN_ORDER, holds them);
 *   - buddy_alloc(n) takes a block of the smallest order whose 2^o holds n (n == 0: a
 *     block of 2^min, as malloc(0) returns a block); when that order's list is empty it
 *     takes the smallest larger free block and splits it in halves down to order o, the
 *     upper half of each split going on its order's list: one split per order it goes
 *     down (buddy.splits counts them);
 *   - buddy_free(p) merges the block with its buddy while the buddy is a free block of
 *     the same order, one order up each time (buddy.merges counts them), and puts what it
 *     has on its order's list. A block beside it that is free but not its buddy (the
 *     block of the same order on the other side) is never merged with it;
 *   - no header in a block: a block of 2^o bytes holds a request of 2^o bytes. Each block's
 *     order and state sit in a side table instead, one byte per 2^min bytes of the
 *     region, taken with the region in the same malloc (2^(k - min) bytes: 1/16 of the
 *     region for min = 4). Linux keeps the same in each page's struct page.
 *
 * buddy_init's malloc is the only allocation: buddy_alloc and buddy_free allocate
 * nothing. Misuse: buddy_free of a pointer outside the region, of one that is not the
 * start of a block, or of a block already free prints a line and aborts the program, as
 * glibc's free does when it notices (and 04's fl_free). Not thread-safe.
 *
 * With MEMDEBUG (common/memdebug.h) on, the tools see exactly the n bytes buddy_alloc
 * handed out: a read of a block's bytes past n, or of a block after buddy_free, is
 * reported (ASan: "use-after-poison"; make SANITIZE=1 test-04). The side table stays
 * readable. */
#ifndef BUDDY_H
#define BUDDY_H

#include <stddef.h>
#include <stdint.h>

#include "memdebug.h"

#define BUDDY_MIN_ORDER 4  /* the smallest min: a free block of 16 B holds its two links */
#define BUDDY_MAX_ORDER 30 /* the largest k: a region of 1 GiB */

struct buddy_block; /* a free block's links: buddy.c */

struct buddy {
    char *region;                                     /* 2^k bytes, then the side table */
    unsigned char *order_of;                          /* the side table: 2^(k - min) bytes */
    unsigned k, min;                                  /* the region's order, the smallest block's */
    struct buddy_block *free[BUDDY_MAX_ORDER + 1];   /* a free list per order, newest first */
    size_t free_count[BUDDY_MAX_ORDER + 1];           /* blocks on each list */
    size_t used_blocks, used_bytes;                   /* blocks handed out and their bytes */
    uint64_t splits, merges;                          /* since buddy_init */
};

/* What the region holds now. used_bytes + free_bytes is the region's 2^k. */
struct buddy_stats {
    size_t used_blocks, used_bytes; /* blocks handed out, whole blocks' bytes */
    size_t free_blocks, free_bytes; /* blocks on the free lists, and their bytes */
    size_t largest_free;            /* the largest free block: the largest request that fits */
    uint64_t splits, merges;        /* since buddy_init */
};

/* A region of 2^k bytes, blocks of 2^min to 2^k, and its side table, from one malloc of
 * buddy_init_bytes(k, min): one free block of order k. 0; or -1 with errno EINVAL (min
 * below BUDDY_MIN_ORDER, k above BUDDY_MAX_ORDER or below min) or ENOMEM (the malloc
 * failed), *b zeroed and nothing held. */
int buddy_init(struct buddy *b, unsigned k, unsigned min);

/* What buddy_init mallocs: 2^k + 2^(k - min). */
size_t buddy_init_bytes(unsigned k, unsigned min);

/* Free the region; every block is gone. *b zeroed. */
void buddy_destroy(struct buddy *b);

/* A block of the smallest order that holds n bytes, aligned to its size from the region's
 * start (and to 16 in memory, malloc's alignment). NULL with errno ENOMEM when n is
 * larger than the region or no free block is large enough. */
void *buddy_alloc(struct buddy *b, size_t n);

/* Give p (from buddy_alloc on b) back; NULL does nothing. See above for misuse. */
void buddy_free(struct buddy *b, void *p);

/* The order buddy_alloc(n) takes, and its block's bytes: 2^order; 0 when n > 2^k. */
unsigned buddy_order_for(const struct buddy *b, size_t n);
size_t buddy_block_size(const struct buddy *b, size_t n);

/* The bytes p's block holds: 2^its order. */
size_t buddy_usable_size(const struct buddy *b, const void *p);

/* The region now. Allocates nothing. */
struct buddy_stats buddy_stats(const struct buddy *b);

/* Check the invariants: the blocks tile the region, each at a multiple of its size; the
 * free lists hold exactly the free blocks, each on its order's list, their counts and
 * back links right; no two free buddies of one order (they would have merged); the used
 * counts and splits - merges = blocks - 1. NULL, or what is broken. Allocates nothing. */
const char *buddy_check(const struct buddy *b);

#endif
