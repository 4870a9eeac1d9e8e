/* allocif: the allocator as a parameter. A library takes a struct allocif from its caller
 * and asks it for every byte, so the caller decides where the memory comes from: the heap,
 * an arena, a buffer of its own. The caller owns the allocator and outlives what it gave.
 * When the allocator refuses, it returns NULL with errno ENOMEM and changes nothing.
 *
 *   struct allocif h = allocif_heap();                 // malloc, realloc, free
 *   struct allocif a = allocif_arena(&arena);          // bumps; frees are no-ops
 *   struct allocif b = allocif_buf(&buf, mem, sizeof mem);  // no heap at all
 *   void *p = allocif_alloc(&a, n);
 *   allocif_free(&a, p, n);                            // the size it was allocated with
 *
 * The shape is Lua's lua_Alloc: one function, fn(ctx, p, old, n), that allocates (p NULL),
 * resizes, or frees (n 0). One function makes an allocator one pointer and a context to
 * pass, and one function to write. The caller passes the old size back, so an allocator
 * need not store it: the arena and the buffer keep no header, a buffer can give back its
 * last block, and the counting decorator knows the bytes a free returns. The price: the
 * library must remember every size it allocated (an alloc/free pair whose free takes no
 * size spares it that, and makes an allocator that wants the size keep a header).
 *
 * Counting (allocif_count): a decorator that wraps any allocator and counts the calls made
 * through it by the rules of the counting allocator (countalloc.h), per instance: what one
 * library made, whoever else allocates. */
#ifndef ALLOCIF_H
#define ALLOCIF_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"

/* fn(ctx, p, old, n): n 0: free p, its size old (p NULL: nothing), and return NULL, as in
 * Lua. p NULL: n new bytes (old is 0). Otherwise p's old bytes resized to n, moved or not.
 * NULL with errno ENOMEM when memory runs out, p then untouched. Blocks are aligned to
 * ALLOCIF_ALIGN. */
struct allocif {
    void *(*fn)(void *ctx, void *p, size_t old, size_t n);
    void *ctx;
};

#define ALLOCIF_ALIGN _Alignof(max_align_t) /* 16 on x86-64: malloc's, the arena's */

/* n bytes (n > 0: n 0 is a free), or NULL with errno ENOMEM. */
static inline void *allocif_alloc(const struct allocif *a, size_t n)
{
    return a->fn(a->ctx, NULL, 0, n);
}

/* p's old bytes resized to n > 0, or NULL (ENOMEM) with p untouched. */
static inline void *allocif_realloc(const struct allocif *a, void *p, size_t old, size_t n)
{
    return a->fn(a->ctx, p, old, n);
}

/* Free p, allocated with n bytes. allocif_free(a, NULL, 0) does nothing. */
static inline void allocif_free(const struct allocif *a, void *p, size_t n)
{
    if (p != NULL)
        a->fn(a->ctx, p, n, 0);
}

/* ---- the heap: malloc, realloc and free, one call each ---- */

/* An allocation is one malloc, a resize one realloc, a free one free. */
struct allocif allocif_heap(void);

/* ---- an arena (arena.h): the caller's, freed by arena_reset or arena_destroy ---- */

/* An allocation is arena_alloc (a bump; a chunk from malloc now and then); a free does
 * nothing; a resize that grows takes a new block and copies, a shrink keeps the block. */
struct allocif allocif_arena(struct arena *ar);

/* ---- a fixed buffer: the caller's bytes, no heap ---- */

struct allocif_buf {
    char *base; /* the first aligned byte of the caller's buffer */
    size_t size; /* bytes from base */
    size_t used; /* bytes handed out from base, each block rounded to ALLOCIF_ALIGN */
    size_t high; /* the most bytes used at once since allocif_buf_init */
};

/* The bytes a block of n > 0 takes in a buffer: n rounded up to ALLOCIF_ALIGN; 0 when no
 * buffer could hold it. */
size_t allocif_buf_block(size_t n);

/* An allocator over mem[0..size): a bump from the first aligned byte; past the end, NULL and
 * ENOMEM. Freeing the last block handed out gives its bytes back (blocks freed in the
 * reverse order of their allocation empty the buffer); other frees do nothing. A resize
 * of the last block is done in place when it fits. Allocates nothing. */
struct allocif allocif_buf(struct allocif_buf *b, void *mem, size_t size);

/* Empty the buffer at once: every block it handed out is gone. */
void allocif_buf_reset(struct allocif_buf *b);

/* ---- the counting decorator ---- */

struct allocif_count {
    struct allocif inner; /* the allocator every call goes to */
    uint64_t allocs;      /* successful allocations; a resize counts one, and one free */
    uint64_t frees;       /* frees of a block (and the old block of a resize) */
    uint64_t bytes;       /* bytes requested, in all (countalloc's total_alloc) */
    uint64_t freed;       /* bytes freed, by the sizes the caller passed */
};

/* An allocator that counts each call through it by countalloc.h's rules (a resize of p
 * to n is an allocation of n and a free of p; a failed call counts nothing), then passes
 * it to inner. c's counts start at 0. */
struct allocif allocif_count(struct allocif_count *c, struct allocif inner);

/* ---- the job: written once, against whichever allocator it is given ---- */

/* A record: the key and the value of one "key=value" line, each its own string. */
struct kv {
    char *key;   /* strlen(key) + 1 bytes from the allocator */
    char *value; /* strlen(value) + 1 bytes */
};

struct kvtab {
    struct kv *recs; /* n records, one block from the allocator; NULL when n is 0 */
    size_t n;
};

#define KVTAB_INIT {NULL, 0}

/* Parse text[0..len), lines "key=value" ended by '\n' (the last one may lack it), into
 * *out, every byte from a: one block of records, then a key and a value string per line
 * (1 + 2 * lines allocations; a line's strings take its length + 1 bytes, '=' and '\n'
 * become the two '\0'). 0, or -1 with errno ENOMEM (a allocation refused) or EINVAL (a
 * line with no '='): what it took from a freed, *out and text untouched. */
int kv_parse(const struct allocif *a, const char *text, size_t len, struct kvtab *out);

/* Free t's strings and records through a, in the reverse order of their allocation (a
 * buffer is then empty again); t is KVTAB_INIT. kv_free(a, NULL) does nothing. */
void kv_free(const struct allocif *a, struct kvtab *t);

/* Lines 0..n-1 of the demo's text, "key<i>=value<i * 7>\n", into out (NUL-terminated), and
 * its length, or 0 when size is too small. A NULL out only measures: the length. */
size_t kv_sample(uint64_t n, char *out, size_t size);

#endif
