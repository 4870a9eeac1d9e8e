/* regrow.h: growing a big block, for lesson 01. A block past glibc's mmap threshold has
 * pages of its own, and glibc's realloc grows it with mremap(2): the kernel moves the
 * block's page-table entries to a larger range, and no byte of it is copied, even when
 * the address changes. The other way, malloc(new) + memcpy + free(old), what C++'s
 * std::vector and Go's append do, writes every old byte into fresh pages, each a page
 * fault. Each way is a function, and regrow_grow reports what one growth cost: its page
 * faults (getrusage's ru_minflt), its time, whether the address changed and whether the
 * contents came through.
 *
 * Pages: a process with transparent huge pages may get 2 MiB pages for a big mapping
 * (THP "always"), which divides the faults by 512. regrow_grow turns THP off for its own
 * process while it runs (prctl PR_SET_THP_DISABLE, the caller's setting put back), so
 * that every page is a base page (sysconf(_SC_PAGESIZE)) whatever the machine's mode.
 *
 * Ownership: regrow_realloc and regrow_copy take the caller's block and give back the
 * grown one; regrow_grow frees everything before it returns. Out of memory: -1, the
 * caller's block as it was (the two ways), or everything freed (regrow_grow). */
#ifndef REGROW_H
#define REGROW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "countalloc.h"

/* glibc's mmap threshold starts at 128 KiB and rises, as mmap'd blocks are freed, to at
 * most 32 MiB on a 64-bit system (DEFAULT_MMAP_THRESHOLD_MAX): a block of 32 MiB or more
 * is always mmap'd, whatever the process freed before. */
#define REGROW_MMAP_ALWAYS ((size_t)32 << 20)

/* *p, a block of old bytes, grown to n bytes (n > old) by realloc: 0; or -1 with *p as it
 * was. Counted as memcheck counts a realloc: one allocation of n bytes and one free. */
int regrow_realloc(void **p, size_t n);

/* The same by malloc(n), memcpy of the old bytes, free(*p): 0; or -1 with *p as it was.
 * One allocation of n bytes and one free. */
int regrow_copy(void **p, size_t old, size_t n);

enum regrow_way { REGROW_REALLOC, REGROW_COPY };

/* One growth, measured: a block of `bytes` (a multiple of 8) malloc'd and every 8-byte
 * word of it written with its index, then grown to 2 * bytes `way`; what the growth
 * alone did, then every old word checked and the block freed. */
struct regrow_step {
    uint64_t faults;           /* minor page faults during the growth */
    double ns;                 /* its wall time */
    bool moved;                /* the grown block has another address */
    bool intact;               /* every old word reads what was written */
    struct countalloc_stats d; /* what the growth allocated and freed (counted) */
};
int regrow_grow(size_t bytes, enum regrow_way way, struct regrow_step *out);

#endif
