/* fltour.h: what make freelist-04 shows of the free-list allocator (freelist.h), step by
 * step on one region, each figure read from the allocator rather than worked out:
 *   - the block each request size takes (the header cost);
 *   - a split: one free block becomes a block in use and a smaller free block;
 *   - external fragmentation: the region filled with small blocks, every other one
 *     freed, and a bigger request refused though the free bytes would hold it;
 *   - coalescing: the rest freed, back to one free block;
 *   - first fit: which free block a request takes;
 *   - fl_realloc: a shrink, a growth into the free space after, a growth that moves, a
 *     refusal and a resize to 0 bytes, each on the same block.
 * The region is one malloc of FLTOUR_REGION bytes, freed before fltour_run returns.
 * fltour_growth counts how often a block grown step by step stays in place, with
 * fl_realloc and with the C library's realloc, in the same run. */
#ifndef FLTOUR_H
#define FLTOUR_H

#include <stdbool.h>
#include <stddef.h>

#include "freelist.h"

#define FLTOUR_REGION 4096 /* bytes of the region */
#define FLTOUR_COSTS 6     /* request sizes in the header-cost table */
#define FLTOUR_SPLIT 100   /* the request that splits the fresh region */
#define FLTOUR_SMALL 40    /* the small blocks that fill the region */
#define FLTOUR_BIG 100     /* the request the holes cannot serve */
#define FLTOUR_MAX_SMALL 128
#define FLTOUR_FIT_BLOCKS 5 /* A to E */
#define FLTOUR_FIT_TAKE 200 /* first fit's first request */
#define FLTOUR_FIT_PASS 400 /* and its second, which passes over the two holes */

#define FLTOUR_RESIZE_FROM 1000 /* the block fl_realloc resizes, made by fl_alloc */
#define FLTOUR_STEP 64           /* the growth table: each growth adds this many bytes, */
#define FLTOUR_GROWTHS 100       /* this many times, from a block of FLTOUR_STEP */
#define FLTOUR_NEIGHBOUR 16      /* the block allocated before each growth (second row) */
#define FLTOUR_GROW_REGION (256 * 1024) /* fl_realloc's region there: no growth is refused */

/* fl_realloc's steps, in order, on one block: each call's n is fltour_resize_to[step]. */
enum fltour_resize_step {
    FLTOUR_SHRINK,    /* FLTOUR_RESIZE_FROM to less, the region's free tail after it */
    FLTOUR_GROW_NEXT, /* to more, into that free tail */
    FLTOUR_GROW_MOVE, /* to more, a 1-byte block in use after it (the fence) */
    FLTOUR_REFUSE,    /* to more than the region */
    FLTOUR_TO_ZERO,   /* to 0 bytes */
    FLTOUR_RESIZES
};

extern const size_t fltour_cost_requests[FLTOUR_COSTS];
extern const size_t fltour_resize_to[FLTOUR_RESIZES];
extern const size_t fltour_fit_requests[FLTOUR_FIT_BLOCKS];

/* The region's state after each step. */
enum fltour_step {
    FLTOUR_INIT,       /* fl_init: one free block */
    FLTOUR_SPLIT_DONE, /* fl_alloc(FLTOUR_SPLIT) */
    FLTOUR_UNSPLIT,    /* that block freed */
    FLTOUR_FILLED,     /* fl_alloc(FLTOUR_SMALL) until NULL */
    FLTOUR_HOLES,      /* every other small block freed, the first included */
    FLTOUR_MERGE3,     /* the second small block freed: merged with both neighbours */
    FLTOUR_MERGED,     /* every small block freed */
    FLTOUR_STEPS
};

/* One fl_realloc call of the tour. */
struct fltour_resize {
    size_t block_before, block_after; /* the block, header included, before and after (the
                                       * one returned, or p's when NULL came back) */
    size_t free_before, free_after;   /* free blocks in the region */
    bool same;                        /* it returned p: in place */
    bool refused;                     /* it returned NULL */
    bool kept;                        /* the first min(old n, n) bytes are as they were */
};

struct fltour {
    size_t region;                    /* bytes of the region */
    size_t cost_block[FLTOUR_COSTS];  /* the block fl_alloc(request) took, header included */
    size_t cost_usable[FLTOUR_COSTS]; /* fl_usable_size of it */
    struct fl_stats at[FLTOUR_STEPS];
    size_t split_at, split_block;     /* the split: the block in use, payload offset and size */
    size_t rest_at, rest_block;       /* and the free rest */
    size_t small_block;               /* the block each small request took */
    size_t filled;                    /* small blocks that fit before fl_alloc's NULL */
    bool holes_refuse;                /* fl_alloc(FLTOUR_BIG) returned NULL among the holes */
    bool merged_serves;               /* and a block once everything merged */
    size_t fit_at[FLTOUR_FIT_BLOCKS], fit_block[FLTOUR_FIT_BLOCKS]; /* A to E */
    size_t tail_at;                   /* the free rest of the region after E */
    size_t take_at, pass_at;          /* where fl_alloc(FIT_TAKE) and then (FIT_PASS) went */
    struct fltour_resize resize[FLTOUR_RESIZES];
};

/* Growths that returned the same pointer, and the others; and the neighbours that went
 * below the block (into space a move had freed) rather than after it. */
struct fltour_count {
    size_t in_place, moved;
    size_t behind;
};

/* The growth table: [0] nothing else allocated, [1] a FLTOUR_NEIGHBOUR block allocated
 * before each growth and kept. */
struct fltour_growth {
    struct fltour_count fl[2];   /* fl_realloc on a region of FLTOUR_GROW_REGION bytes */
    struct fltour_count libc[2]; /* realloc, the C library's (glibc's) own */
};

/* Run every step on a region of FLTOUR_REGION bytes from malloc, filling *t. Payload
 * offsets are from the region's start. 0, or -1 when malloc fails (nothing held). */
int fltour_run(struct fltour *t);

/* Grow a block of FLTOUR_STEP bytes by FLTOUR_STEP, FLTOUR_GROWTHS times, four ways, and
 * count (see struct fltour_growth). Allocates the region, then realloc's blocks and the
 * neighbours, and frees them all. 0, or -1 when an allocation fails (nothing held). */
int fltour_growth(struct fltour_growth *g);

#endif
