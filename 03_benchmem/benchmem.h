/* benchmem.h: lesson 03's job, formatting records as text lines, done allocation-heavy
 * (heavy.c: asprintf per record) and allocation-light (light.c: one reused buffer),
 * with byte-for-byte the same output. Records and the sink belong to the caller; the
 * formatters own their line buffers and free them before returning. Out of memory: the
 * formatter returns -1 having freed what it took; lines already written stay written.
 *
 * Costs under the counting contract (a realloc is one alloc and one free):
 *   heavy_format: up to glibc 2.36, 2 allocations and 2 frees per record (asprintf:
 *                 malloc(100), then an exact malloc, a copy and a free of the first for a
 *                 line under 49 bytes, a realloc for one of 49 to 100); from glibc 2.37,
 *                 1 and 1 (one exact malloc).
 *   light_format: 1 allocation per call (BENCHMEM_BUF_MIN bytes), one more per growth when a
 *                 line does not fit. */
#ifndef BENCHMEM_H
#define BENCHMEM_H

#include <stddef.h>
#include <stdint.h>

#include "hash.h"

/* One record: an order line of a shop. */
struct record {
    uint64_t id;
    const char *user;   /* not owned; any length */
    int32_t qty;
    uint32_t cents;     /* price in cents */
};

/* The line of a record. Both formatters use exactly this format. */
#define BENCHMEM_FORMAT "order=%llu user=%s qty=%d price=%u.%02u\n"
#define BENCHMEM_ARGS(r) (unsigned long long)(r)->id, (r)->user, (int)(r)->qty, \
                   (unsigned)((r)->cents / 100), (unsigned)((r)->cents % 100)

/* Where the lines go: write(ctx, line, len) once per record, in order. */
struct benchmem_sink {
    void (*write)(void *ctx, const char *line, size_t len);
    void *ctx;
};

int heavy_format(const struct record *recs, size_t n, const struct benchmem_sink *out);
int light_format(const struct record *recs, size_t n, const struct benchmem_sink *out);

/* ---- the reusable line buffer (benchmem.c) ---- */

#define BENCHMEM_BUF_MIN 128 /* first capacity; doubles while a line does not fit */

/* A growable buffer the caller keeps on its stack: struct benchmem_buf b = BENCHMEM_BUF_INIT. */
struct benchmem_buf {
    char *p;     /* the last formatted line, NUL-terminated; owned */
    size_t cap;  /* bytes allocated at p */
};
#define BENCHMEM_BUF_INIT {NULL, 0}

/* snprintf into b, growing it (realloc) when the line does not fit. Returns the line's
 * length, or -1 when out of memory or on a format error: b then keeps its memory and
 * capacity, and holds an empty string. No allocation once b is big enough. */
int benchmem_buf_printf(struct benchmem_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Free b's memory and make it empty again. benchmem_buf_free on an empty buffer does nothing. */
void benchmem_buf_free(struct benchmem_buf *b);

/* ---- inputs and sinks for main, bench and the tests ---- */

/* Fill recs[0..n) with the same deterministic records every time. Allocates nothing:
 * user names point to static strings (all short enough for one asprintf buffer). */
void benchmem_records_make(struct record *recs, size_t n);

/* A sink that folds every byte into an FNV-1a digest and counts them. */
struct benchmem_digest {
    uint64_t h;       /* start at BENCHMEM_DIGEST_START */
    uint64_t bytes;
};
#define BENCHMEM_DIGEST_START HASH_FNV_START
void benchmem_digest_write(void *ctx, const char *line, size_t len);

#endif
