/* slab: a slab pool of fixed-size objects, and why freeing most of them can free nothing.
 * The pool takes memory SLAB_BYTES at a time (a slab: one aligned_alloc, cut into objects)
 * and gives a slab back to malloc the moment its last object is freed, never before: one
 * survivor keeps its whole slab. The caller owns an object from slab_alloc to slab_free;
 * the pool owns its slabs. Out of memory: slab_alloc returns NULL (errno ENOMEM) and the
 * pool is as it was; slab_fill frees what it took.
 *
 *   struct slab_pool p;
 *   slab_init(&p, 64);                  // -1: a size no slab can hold
 *   void *obj = slab_alloc(&p);         // NULL: out of memory
 *   slab_free(obj);                     // the last object of its slab frees the slab
 *   slab_destroy(&p);                   // every slab, live objects or not
 *
 * Why aligned: a slab starts at a multiple of SLAB_BYTES, so slab_free finds an object's
 * slab by clearing the low bits of its address: no header per object, no search, no pool
 * argument. The price is glibc's for an aligned block (02's "Aligned blocks").
 * Not thread-safe: one pool per thread.
 * With MEMDEBUG (common/memdebug.h) on, the tools see exactly the objects handed out: a
 * read of an object after slab_free is reported even while its slab lives (memcheck:
 * "Invalid read", "inside a block of size n free'd"; ASan: "use-after-poison"; make
 * misuse-04). The slab headers stay readable. */
#ifndef SLAB_H
#define SLAB_H

#include <stddef.h>
#include <stdint.h>

#include "memdebug.h"

#define SLAB_BYTES 4096 /* one slab: a page, aligned to its size */

struct slab; /* a slab's header, at its start: slab.c */

struct slab_pool {
    size_t size;          /* bytes per object: the request rounded up to 8, at least 8 */
    size_t per_slab;      /* objects a slab holds: (SLAB_BYTES - header) / size */
    struct slab *partial; /* slabs with a free object; slab_alloc takes from the first */
    struct slab *full;    /* slabs with none */
    uint64_t slabs;       /* slabs held now */
    uint64_t made;        /* slabs allocated, cumulative */
    uint64_t freed;       /* slabs given back to malloc, cumulative */
    uint64_t live;        /* objects handed out and not freed */
};

/* The bytes at the start of every slab that are not objects (its header, rounded up to 16). */
extern const size_t slab_header_bytes;

/* An empty pool of objects of size bytes. Allocates nothing. 0; or -1 with EINVAL when
 * size is 0 or no slab can hold one object. */
int slab_init(struct slab_pool *p, size_t size);

/* One object: from the first slab with a free one, else from a new slab (one
 * aligned_alloc of SLAB_BYTES). Not zeroed. NULL with ENOMEM when the new slab cannot be
 * had; the pool is unchanged. */
void *slab_alloc(struct slab_pool *p);

/* Give obj back to its slab; the slab's last object frees the slab (one free). Nothing
 * for NULL. */
void slab_free(void *obj);

/* Free every slab, objects still handed out included (they are gone). No allocation.
 * slab_init makes the pool usable again. */
void slab_destroy(struct slab_pool *p);

/* ---- the experiment: n objects, then every one freed but one in k ---- */

/* obj[i] = slab_alloc(p) for i < n, each filled with its index. 0; or -1 with ENOMEM,
 * every object it took freed (the pool holds what it held before). */
int slab_fill(struct slab_pool *p, void **obj, uint64_t n);

/* obj[i] from keep when i is a multiple of k (the survivors), else from temp: the remedy,
 * long-lived and short-lived objects from separate pools. 0; or -1 with ENOMEM, every
 * object it took freed (EINVAL for k = 0). */
int slab_fill_split(struct slab_pool *keep, struct slab_pool *temp, void **obj, uint64_t n,
                    uint64_t k);

/* slab_free of obj[i] for every i < n that is not a multiple of k (k >= 1): the survivors
 * obj[0], obj[k], obj[2k] ... stay. No allocation. */
void slab_drop(void **obj, uint64_t n, uint64_t k);

/* slab_free of the survivors, obj[i] for i a multiple of k. No allocation. */
void slab_drop_survivors(void **obj, uint64_t n, uint64_t k);

/* Whether obj[i] still holds its index for every survivor (nothing overwrote them). */
int slab_survivors_intact(void *const *obj, uint64_t n, uint64_t k);

/* ---- the same pattern on glibc's malloc ---- */

enum slab_phase {
    SLAB_BUILT,   /* n blocks of size bytes malloc'd and written */
    SLAB_DROPPED, /* all freed but one in k */
    SLAB_TRIMMED, /* malloc_trim(0) */
    SLAB_EMPTY,   /* the survivors freed too */
    SLAB_PHASES
};

struct slab_glibc {
    uint64_t span;                /* pages from the lowest block's to the highest's */
    uint64_t resident[SLAB_PHASES]; /* of those, pages resident after the phase (mincore) */
    size_t heap[SLAB_PHASES];     /* mallinfo2's arena: the brk heap's bytes */
    size_t kept[SLAB_PHASES];     /* mallinfo2's fordblks: free bytes the heap keeps */
    int trim_returned;            /* what malloc_trim(0) returned: 1 if it gave pages back */
};

/* n mallocs of size bytes (and one of n pointers), each block written; then the phases
 * above, with glibc's figures and the pages of the blocks' span still resident after each
 * (a page glibc gave back, or unmapped, is not). Meant for a fresh process (a forked
 * child): other free chunks in the heap would be reused. 0; or -1 with ENOMEM (EINVAL for
 * a size below 8 or k = 0), everything it took freed. */
int slab_glibc_run(size_t size, uint64_t n, uint64_t k, struct slab_glibc *g);

#endif
