/* bdtour.h: what make buddy-04 shows of the buddy allocator (buddy.h), each figure read
 * from the allocators rather than worked out:
 *   - a sequence from a fresh region: the splits of each request and the merges of each
 *     free, and the free blocks of each order after every step;
 *   - internal fragmentation: the block every request from 1 to 2^k bytes takes in the
 *     buddy allocator, in 04's free list (freelist.h) and in glibc's malloc (its chunk,
 *     platform_chunk_for; test_buddy.c checks it against glibc's own chunks);
 *   - external fragmentation, twice: the region filled with blocks of the smallest order
 *     and every other one freed, then a request of two of them; and two free blocks side
 *     by side that are not buddies, against the free list, which merges neighbours.
 * It mallocs two regions, the buddy allocator's (buddy_init) and the free list's, and
 * frees both before it returns. */
#ifndef BDTOUR_H
#define BDTOUR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buddy.h"
#include "freelist.h"

#define BDTOUR_K 12      /* make buddy-04's region: 4 KiB */
#define BDTOUR_MIN 4     /* and its smallest block: 16 B */
#define BDTOUR_MAX_K 20  /* the largest K the demo takes (every request up to 2^K is tried) */
#define BDTOUR_PAST 64   /* the worst block per byte asked is also shown from this request up */
#define BDTOUR_ROWS 17   /* request sizes in the rounding table (those up to 2^k are shown) */

extern const size_t bdtour_rows[BDTOUR_ROWS];

/* The sequence: A, B, C, D allocated, then freed in that order. */
enum bdtour_step {
    BDTOUR_INIT,
    BDTOUR_A, /* buddy_alloc(1): one block of the smallest order */
    BDTOUR_B, /* buddy_alloc(2^min): its buddy */
    BDTOUR_C, /* buddy_alloc(2^(min+1)) */
    BDTOUR_D, /* buddy_alloc(2^(k-1)): half the region */
    BDTOUR_FREE_A,
    BDTOUR_FREE_B,
    BDTOUR_FREE_C,
    BDTOUR_FREE_D,
    BDTOUR_STEPS
};

/* The request each allocating step makes, for a region of order k with blocks from min. */
size_t bdtour_request(enum bdtour_step s, unsigned k, unsigned min);

struct bdtour_state {
    uint64_t splits, merges;                       /* what the step made */
    size_t free_count[BUDDY_MAX_ORDER + 1];        /* free blocks of each order after it */
    size_t block;                                  /* an allocating step's block, bytes */
    size_t at;                                     /* and its offset in the region */
};

enum bdtour_alloc { BDTOUR_BUDDY, BDTOUR_FL, BDTOUR_GLIBC, BDTOUR_ALLOCS };

/* One allocator over every request n from 1 to 2^k: the block each takes (the buddy's
 * whole block; the free list's block, header included; glibc's chunk, header included). */
struct bdtour_waste {
    uint64_t asked, handed;        /* the sums of n and of the blocks */
    size_t most_wasted, wasted_at; /* the most bytes one request left unused, the first n */
    size_t worst_block, worst_at;  /* from BDTOUR_PAST up: the highest block / n, the first n */
    size_t row_block[BDTOUR_ROWS]; /* the block of each bdtour_rows size (0: past 2^k) */
};

struct bdtour {
    unsigned k, min;
    size_t region_bytes, table_bytes;   /* the region and its side table, one malloc */
    struct bdtour_state at[BDTOUR_STEPS];
    struct bdtour_waste waste[BDTOUR_ALLOCS];
    /* every other block of the smallest order freed */
    size_t filled;                      /* blocks of 2^min until buddy_alloc's NULL */
    uint64_t fill_splits;
    struct buddy_stats holes;           /* after every other one was freed */
    bool holes_refuse;                  /* buddy_alloc(2 * 2^min) returned NULL then */
    uint64_t rest_merges;               /* merges as the rest were freed */
    struct buddy_stats rest;            /* after that */
    /* four blocks of 2^(k-2), the 2nd and 3rd freed */
    size_t quarter;                     /* 2^(k-2) */
    bool side_by_side;                  /* the 2nd ends where the 3rd starts */
    struct buddy_stats pair;            /* after both were freed */
    bool pair_refuses;                  /* buddy_alloc(2^(k-1)) returned NULL then */
    uint64_t first_merges;              /* merges when the 1st was freed too */
    bool first_serves;                  /* and buddy_alloc(2^(k-1)) then */
    size_t fl_region;                   /* the free list's region for every request:
                                         * 2^(k+1) + 32, so that no block takes the rest */
    size_t fl_pair_region;              /* its first 2^k + 32 bytes, for the four blocks */
    size_t fl_pair_largest;             /* the free list, the same four: the largest request
                                         * after the 2nd and 3rd were freed */
    bool fl_serves;                     /* fl_alloc of that returned a block */
};

/* Run it all for a region of 2^k bytes and blocks from 2^min (BDTOUR_MIN <= min, min + 3
 * <= k <= BDTOUR_MAX_K). 0; -1 with errno EINVAL for k or min out of range, ENOMEM when
 * a region could not be had (nothing held). */
int bdtour_run(struct bdtour *t, unsigned k, unsigned min);

#endif
