/* memstats.h: lesson 02's job, done allocation-heavy (heavy.c) and allocation-light
 * (light.c), and the three views of memory that watch it (views.c).
 *
 * The job: build n records of RECORD_SIZE bytes, then drop all but one in KEEP_EVERY
 * (the kept ones, in order, are the result). heavy: one malloc per record, one free per
 * dropped record, so the survivors stay scattered over the pages the heap grew into.
 * light: the records in one block; the survivors are copied into a small block and the
 * big one freed whole, which hands its pages straight back to the kernel.
 *
 * Ownership: a store owns its records until *_free. Out of memory: *_build and *_drop
 * return -1, free what they took, and leave the store as it was before the call. */
#ifndef MEMSTATS_H
#define MEMSTATS_H

#include <stddef.h>
#include <stdint.h>

#include "countalloc.h"

#define RECORD_SIZE 100 /* bytes per record: malloc(100), the chunk-overhead example */
#define KEEP_EVERY 64   /* one record in 64 survives the drop */

struct record {         /* RECORD_SIZE bytes */
    uint32_t id;
    char text[RECORD_SIZE - sizeof(uint32_t)];
};

struct heavy_store {
    struct record **rec; /* n pointers, one block each; after the drop, the kept first */
    uint64_t n;          /* records held */
};

struct light_store {
    struct record *rec;  /* n records in one block */
    uint64_t n;          /* records held */
};

int heavy_build(struct heavy_store *s, uint64_t n); /* n + 1 allocations */
int light_build(struct light_store *s, uint64_t n); /* 1 allocation */
int heavy_drop(struct heavy_store *s);              /* frees, allocates nothing */
int light_drop(struct light_store *s);              /* 1 allocation, 1 free */
void heavy_free(struct heavy_store *s);
void light_free(struct light_store *s);

/* Record i's contents (the same on both sides). */
void memstats_record_fill(struct record *r, uint64_t i);

/* Records kept by the drop out of n. */
uint64_t memstats_kept(uint64_t n);

/* ---- the three views (views.c); none of them allocates ---- */

/* The allocator's view: glibc's mallinfo2(), the parts that matter here. */
struct view_allocator {
    size_t arena;      /* bytes the heap took from the kernel with brk (arena) */
    size_t in_use;     /* bytes in chunks handed out, headers included (uordblks) */
    size_t free;       /* bytes in free chunks the allocator keeps (fordblks) */
    size_t mmapped;    /* bytes in blocks mmap'd one by one, large requests (hblkhd) */
    size_t top_pad;    /* free bytes at the top, malloc_trim's to give back (keepcost) */
};

/* The operating system's view: /proc/self/status and getrusage(2). */
struct view_os {
    uint64_t rss;      /* resident set now, bytes (VmRSS) */
    uint64_t hwm;      /* its high-water mark, bytes (VmHWM) */
    uint64_t maxrss;   /* getrusage's ru_maxrss, bytes */
    uint64_t minflt;   /* minor page faults so far (a page first touched) */
    uint64_t majflt;   /* major page faults so far (a page read from disk) */
};

struct views {
    struct countalloc_stats program; /* the program's view: the counting allocator */
    struct view_allocator allocator;
    struct view_os os;
};

/* Read all three views now. Returns 0, or -1 if /proc/self/status cannot be read. */
int views_read(struct views *v);

#endif
