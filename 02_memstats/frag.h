/* frag.h: fragmentation, lesson 02: a load whose temporaries lie between what it keeps.
 *
 * The job: load n records. Each is parsed in a scratch buffer of FRAG_SCRATCH bytes,
 * which lives until the whole load ends (the index is built last), and leaves an entry
 * of FRAG_ENTRY bytes that stays. Then the load ends and the scratch goes.
 *   mixed: scratch and entries both from malloc, one after the other, so the heap holds
 *          scratch, entry, scratch, entry... When the scratch goes, every page still
 *          holds a few entries: the heap in use falls, RSS does not, and malloc_trim
 *          finds no whole page to give back. That is fragmentation.
 *   arena: the scratch from an arena (lesson 04's arena.h) of FRAG_ARENA_CHUNK-byte
 *          chunks, freed whole when the load ends; the entries from malloc, with
 *          nothing between them. Same job, same entries; separate lifetimes.
 *
 * Ownership: a store owns its entries until *_free; *_load's scratch until *_done.
 * Out of memory: *_load returns -1, frees what it took, and leaves the store empty. */
#ifndef FRAG_H
#define FRAG_H

#include <stdint.h>

#include "../04_pooling/arena.h" /* lesson 04's arena */

#define FRAG_SCRATCH 1000            /* bytes of scratch per record */
#define FRAG_ENTRY 64                /* bytes kept per record */
#define FRAG_ARENA_CHUNK (1024 * 1024) /* the scratch arena's chunks: past the mmap threshold */

struct frag_entry {                  /* FRAG_ENTRY bytes */
    uint64_t id;
    char key[FRAG_ENTRY - sizeof(uint64_t)];
};

struct frag_mixed {
    struct frag_entry **entry;       /* n entries, one malloc each */
    char **scratch;                  /* n scratch buffers, one malloc each, until _done */
    uint64_t n;
};

struct frag_arena {
    struct frag_entry **entry;       /* n entries, one malloc each */
    struct arena scratch;            /* every scratch buffer, until _done */
    uint64_t n;
};

int frag_mixed_load(struct frag_mixed *s, uint64_t n); /* 2n + 2 allocations */
/* chunk: the arena's chunk size in bytes, 0 for FRAG_ARENA_CHUNK */
int frag_arena_load(struct frag_arena *s, uint64_t n, size_t chunk); /* n + 1 + chunks */
void frag_mixed_done(struct frag_mixed *s);            /* n + 1 frees, no allocation */
void frag_arena_done(struct frag_arena *s);            /* the arena's chunks freed */
void frag_mixed_free(struct frag_mixed *s);            /* everything, scratch included */
void frag_arena_free(struct frag_arena *s);

/* A digest of the entries (the same from both sides). */
uint64_t frag_digest(struct frag_entry *const *entry, uint64_t n);

#endif
