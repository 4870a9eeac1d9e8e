/* arena.c: chunks for the bump allocator. See arena.h for the contract.
 *
 * A chunk is one malloc block: this header, then its space. Space not handed out is
 * NOACCESS to the tools; arena_alloc hands out exactly the bytes asked for, so a read
 * past an object into its alignment padding is reported too. */
#include "arena.h"

#include <errno.h>
#include <stdlib.h>

struct arena_chunk {
    struct arena_chunk *next;
    size_t size;                       /* bytes of space after the header */
    _Alignas(max_align_t) char data[]; /* the space; objects start here */
};

#define MIN_CHUNK 1024

static size_t space_of(const struct arena *a)
{
    return a->chunk_size - sizeof(struct arena_chunk);
}

void arena_init(struct arena *a, size_t chunk_size)
{
    if (chunk_size == 0)
        chunk_size = ARENA_CHUNK;
    if (chunk_size < MIN_CHUNK)
        chunk_size = MIN_CHUNK;
    *a = (struct arena){.chunk_size = chunk_size};
    MEMDEBUG_POOL_CREATE(a);
}

static void free_chunks(struct arena_chunk *c)
{
    while (c != NULL) {
        struct arena_chunk *next = c->next;
        MEMDEBUG_UNDEFINED(c->data, c->size); /* malloc's again */
        free(c);
        c = next;
    }
}

void arena_destroy(struct arena *a)
{
    MEMDEBUG_POOL_DESTROY(a);
    free_chunks(a->chunks);
    free_chunks(a->spare);
    *a = (struct arena){.chunk_size = a->chunk_size};
}

void arena_reset(struct arena *a)
{
    struct arena_chunk *c = a->chunks;

    /* Forget every object at once (as PostgreSQL's MemoryContextReset does). */
    MEMDEBUG_POOL_DESTROY(a);
    MEMDEBUG_POOL_CREATE(a);
    while (c != NULL) {
        struct arena_chunk *next = c->next;
        if (c->size == space_of(a)) {
            MEMDEBUG_NOACCESS(c->data, c->size);
            c->next = a->spare;
            a->spare = c;
        } else {
            c->next = NULL; /* an oversized chunk: not worth keeping */
            free_chunks(c);
        }
        c = next;
    }
    a->chunks = NULL;
    a->next = a->end = NULL;
}

/* A chunk with `space` bytes of space, from the spare list when it fits, else malloc. */
static struct arena_chunk *take_chunk(struct arena *a, size_t space)
{
    struct arena_chunk *c;

    if (space == space_of(a) && a->spare != NULL) {
        c = a->spare;
        a->spare = c->next;
        return c;
    }
    c = malloc(sizeof *c + space);
    if (c == NULL)
        return NULL;
    c->size = space;
    a->chunk_mallocs++;
    MEMDEBUG_NOACCESS(c->data, c->size);
    return c;
}

void *arena_alloc_chunk(struct arena *a, size_t n)
{
    size_t need, space = space_of(a);
    struct arena_chunk *c;

    if (n == 0)
        n = 1; /* like malloc(0): a unique pointer */
    if (n > SIZE_MAX - sizeof *c - ARENA_ALIGN) {
        errno = ENOMEM;
        return NULL;
    }
    need = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    if (need <= (size_t)(a->end - a->next)) { /* n was 0, and there is room */
        void *p = a->next;
        a->next += need;
        MEMDEBUG_POOL_ALLOC(a, p, n);
        return p;
    }
    if (need > space / 4) {
        /* Oversized: a chunk of its own, behind the current one, which stays current. */
        c = take_chunk(a, need);
        if (c == NULL)
            return NULL;
        if (a->chunks != NULL) {
            c->next = a->chunks->next;
            a->chunks->next = c;
        } else {
            c->next = NULL;
            a->chunks = c;
        }
        MEMDEBUG_POOL_ALLOC(a, c->data, n);
        return c->data;
    }
    c = take_chunk(a, space);
    if (c == NULL)
        return NULL;
    c->next = a->chunks;
    a->chunks = c;
    a->next = c->data + need;
    a->end = c->data + c->size;
    MEMDEBUG_POOL_ALLOC(a, c->data, n);
    return c->data;
}

size_t arena_held(const struct arena *a)
{
    size_t held = 0;

    for (const struct arena_chunk *c = a->chunks; c != NULL; c = c->next)
        held += sizeof *c + c->size;
    for (const struct arena_chunk *c = a->spare; c != NULL; c = c->next)
        held += sizeof *c + c->size;
    return held;
}
