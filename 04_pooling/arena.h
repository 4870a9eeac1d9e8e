/* arena: a region (bump) allocator. Allocate many objects, free them all at once. The
 * handle lives where the caller puts it; the arena owns its chunks and everything
 * allocated from them. When malloc fails, arena_alloc returns NULL and the arena is
 * unchanged.
 *
 *   struct arena a;
 *   arena_init(&a, 0);                        // chunks of ARENA_CHUNK bytes
 *   struct node *n = arena_alloc(&a, sizeof *n);
 *   ...                                       // no free for single objects
 *   arena_reset(&a);                          // everything at once; chunks kept for reuse
 *   arena_destroy(&a);                        // chunks back to malloc
 *
 * How it differs from malloc:
 *   - An allocation is a pointer bump in the current chunk: a compare and an add, no
 *     header, no lock; one malloc per chunk (ARENA_CHUNK bytes) instead of one per object.
 *   - Objects cannot be freed one by one: the arena frees them together, so it suits
 *     memory whose lifetimes end together (one request, one parse, one frame).
 *   - arena_reset keeps the standard chunks, so a reused arena stops calling malloc;
 *     a request larger than a quarter chunk gets a chunk of its own, freed by the reset.
 *   - Alignment ARENA_ALIGN for every object, as malloc's. Not thread-safe.
 * With MEMDEBUG (common/memdebug.h) on, memory past an object, not yet handed out or
 * reset is an error under memcheck ("Invalid read") and ASan ("use-after-poison"). */
#ifndef ARENA_H
#define ARENA_H

#include <stddef.h>
#include <stdint.h>

#include "memdebug.h"

#define ARENA_ALIGN _Alignof(max_align_t) /* 16 on x86-64 */
#define ARENA_CHUNK (64 * 1024)           /* bytes per chunk, header included */

struct arena_chunk; /* private to arena.c */

struct arena {
    char *next;                 /* first free byte of the current chunk */
    char *end;                  /* end of the current chunk's space */
    struct arena_chunk *chunks; /* chunks holding objects, the current one first */
    struct arena_chunk *spare;  /* chunks kept by arena_reset, used before malloc */
    size_t chunk_size;          /* bytes per standard chunk, header included */
    uint64_t chunk_mallocs;     /* chunks this arena has had from malloc */
};

/* Set up an empty arena with chunks of chunk_size bytes (0: ARENA_CHUNK; at least
 * 1 KiB is used). Allocates nothing, cannot fail. */
void arena_init(struct arena *a, size_t chunk_size);

/* Free every object and every chunk. The arena may be initialised again. */
void arena_destroy(struct arena *a);

/* Free every object at once and keep the standard chunks for what comes next.
 * Pointers from arena_alloc must not be used afterwards. Allocates nothing. */
void arena_reset(struct arena *a);

/* The slow path of arena_alloc: a new chunk. Not for callers. */
void *arena_alloc_chunk(struct arena *a, size_t n);

/* n bytes aligned to ARENA_ALIGN, contents unspecified, or NULL when out of memory.
 * Valid until arena_reset or arena_destroy. */
static inline void *arena_alloc(struct arena *a, size_t n)
{
    size_t need = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);

    if (__builtin_expect(n - 1 < need && need <= (size_t)(a->end - a->next), 1)) {
        void *p = a->next; /* n - 1 < need: n is neither 0 nor so large it wrapped */
        a->next += need;
        MEMDEBUG_POOL_ALLOC(a, p, n);
        return p;
    }
    return arena_alloc_chunk(a, n);
}

/* Bytes held from malloc now (chunks in use and spare, headers included). */
size_t arena_held(const struct arena *a);

#endif
