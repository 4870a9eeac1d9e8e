/* zeroed.h: calloc against malloc + memset, for lesson 01. Three differences, each a
 * function that reports what happened instead of assuming it:
 *   - calloc(n, size) refuses an n * size that overflows; malloc(n * size) is handed
 *     the product after it wrapped, and succeeds with a small block;
 *   - a big calloc (an mmap'd block: its pages come from the kernel, already zero)
 *     writes nothing, so its pages cost nothing until they are written; reading them
 *     maps the kernel's shared zero page, which takes no memory of its own;
 *   - a small calloc (glibc's own) does not take the block a free just put in the
 *     thread's cache (the tcache), where malloc would.
 * And the jobs make calloc-01 times: a big block zeroed either way, and small ones.
 *
 * Ownership: every function frees what it allocated before it returns. Out of memory:
 * they return -1 having freed everything. */
#ifndef ZEROED_H
#define ZEROED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* n elements of `size` bytes asked for three ways: calloc(n, size),
 * reallocarray(NULL, n, size) and malloc(n * size). What each returned, and what the
 * counting allocator saw of it. A block that comes back is freed at once. */
struct zeroed_way {
    bool null;        /* it returned NULL */
    int err;          /* errno after a NULL, else 0 */
    uint64_t allocs;  /* allocations it made (counted) */
    uint64_t bytes;   /* bytes they asked for */
};
struct zeroed_overflow {
    size_t product;   /* n * size, as size_t arithmetic computes it (wrapped) */
    bool wrapped;     /* n * size overflowed */
    struct zeroed_way calloc_way, reallocarray_way, malloc_way;
};
int zeroed_overflow(size_t n, size_t size, struct zeroed_overflow *out);

/* A block of `bytes` from calloc, and what the process's memory did at each step:
 * calloc(1, bytes); then every page read; then every page written. For each step the
 * growth of the resident set (VmRSS, /proc/self/status) and the minor page faults
 * (getrusage). `bytes` should be past glibc's mmap threshold (64 MiB is, always), so
 * that the block is mapped fresh and given back at free. malloc + memset, the other way
 * to zero it, is zeroed_fill_step below. */
struct zeroed_step {
    int64_t rss;      /* bytes the resident set grew by (the kernel's figure: it can lag
                       * by a few pages) */
    uint64_t faults;  /* minor page faults */
};
struct zeroed_pages {
    struct zeroed_step calloc_step, read_step, write_step;
    bool calloc_zero;  /* every byte calloc returned reads 0 */
};
int zeroed_pages(size_t bytes, struct zeroed_pages *out);

/* malloc(n), then memset(p, 0, n): one source (demo/zerofill.c) built twice, linked into
 * make calloc-01 and the tests. zerofill_o2: gcc -O2 with its builtins, which makes the
 * pair one calloc; zerofill_kept: with the Makefile's -fno-builtin-malloc, as the lesson
 * code is built. */
void *zerofill_o2(size_t n);
void *zerofill_kept(size_t n);

/* fill(bytes), its block freed: the step it made (the pages it touched). */
int zeroed_fill_step(void *(*fill)(size_t), size_t bytes, struct zeroed_step *out);

/* glibc's own malloc and calloc (not the counting allocator's) of `size` bytes, each
 * right after a free of a block of that size, and whether each took that block. */
struct zeroed_small {
    bool malloc_reuses;  /* malloc(size) after free(p) returns p */
    bool calloc_reuses;  /* calloc(1, size) after free(p) returns p */
    bool calloc_zero;    /* calloc's block reads 0, though p was written before its free */
};
int zeroed_small(size_t size, struct zeroed_small *out);

/* The jobs make calloc-01 times (report_measure): `bytes` zeroed and freed
 *   zeroed_calloc_job            calloc(1, bytes), then free
 *   zeroed_calloc_write_job      calloc(1, bytes), every byte written, then free
 *   zeroed_malloc_memset_job     malloc(bytes), memset(p, 0, bytes), then free
 * and `count` blocks of `bytes` each, each allocated, its last byte read, and freed:
 *   zeroed_small_calloc_job      calloc(1, bytes)
 *   zeroed_small_memset_job      malloc(bytes) and memset(p, 0, bytes)
 * 0, or -1 when an allocation fails. */
struct zeroed_job {
    size_t bytes;
    size_t count;
    unsigned sink;  /* what was read, so that the reads stay */
};
int zeroed_calloc_job(void *job);
int zeroed_calloc_write_job(void *job);
int zeroed_malloc_memset_job(void *job);
int zeroed_small_calloc_job(void *job);
int zeroed_small_memset_job(void *job);

#endif
