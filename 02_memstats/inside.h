/* inside.h: glibc's malloc seen from inside, for lesson 02's "glibc malloc inside":
 * the chunk header of a block (its size, mmap'd or not, main arena or not), how many
 * arenas the process has, its virtual and resident size, and glibc's own malloc and
 * free beside the counting allocator's.
 *
 * Ownership: nothing here keeps memory. inside_arenas (a memory stream for malloc_info)
 * and inside_threads (the threads and their blocks) allocate, free what they took and
 * return -1 when an allocation fails. The chunk reader is glibc's layout: valid only
 * for a pointer glibc's own malloc returned. */
#ifndef INSIDE_H
#define INSIDE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "platform.h"

/* glibc's chunk header of a block (struct platform_chunk, platform_chunk_of) and glibc's
 * own malloc_usable_size (platform_glibc_usable_size) are in common/platform.h. */

/* glibc's own malloc and free, under the counting allocator (which adds a 16-byte
 * header in front of each block, and whose malloc_usable_size answers the request). */
void *inside_glibc_malloc(size_t n);
void inside_glibc_free(void *p);

/* The arenas glibc has made so far: the main one, plus one per thread that allocated
 * while the others were busy, up to M_ARENA_MAX (8 per core by default). Counted from
 * malloc_info's <heap> elements. Returns -1 if out of memory. */
int inside_arenas(void);

/* What inside_threads saw while its threads were alive. */
struct inside_threads_seen {
    int arenas_before;  /* inside_arenas() before the threads started */
    int arenas;         /* inside_arenas() with every thread alive */
    int other_arena;    /* threads whose block came from an arena other than main's */
    uint64_t vmsize;    /* address space their allocations added (not their stacks), bytes */
};

#define INSIDE_STACK (64 * 1024) /* each thread's stack, bytes */

/* Start n threads (n <= 64) with INSIDE_STACK-byte stacks; when all are alive, each
 * mallocs `bytes` and frees it after the count. Returns 0, or -1 if a thread could not
 * start or an allocation failed (every thread started is joined either way). */
int inside_threads(int n, size_t bytes, struct inside_threads_seen *seen);

/* The same in a child process that first sets mallopt(M_ARENA_MAX, arena_max) (0: the
 * default), before any of its threads allocates, as MALLOC_ARENA_MAX=N does; the parent
 * is left as it was. Returns 0, or -1 if the child failed. */
int inside_threads_in_child(int arena_max, int n, size_t bytes, struct inside_threads_seen *seen);

#endif
