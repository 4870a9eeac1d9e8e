/* fltour.h: what make freelist-04 shows of the free-list allocator (freelist.h), step by
 * step on one region, each figure read from the allocator rather than worked out:
 *   - the block each request size takes (the header cost);
 *   - a split: one free block becomes a block in use and a smaller free block;
 *   - external fragmentation: the region filled with small blocks, every other one
 *     freed, and a bigger request refused though the free bytes would hold it;
 *   - coalescing: the rest freed, back to one free block;
 *   - first fit: which free block a request takes.
 * The region is one malloc of FLTOUR_REGION bytes, freed before fltour_run returns. */
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

extern const size_t fltour_cost_requests[FLTOUR_COSTS];
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
};

/* Run every step on a region of FLTOUR_REGION bytes from malloc, filling *t. Payload
 * offsets are from the region's start. 0, or -1 when malloc fails (nothing held). */
int fltour_run(struct fltour *t);

#endif
