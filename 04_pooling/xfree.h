/* xfree.h: a block freed by another thread, and where glibc puts it. A producer (the
 * calling thread) mallocs N blocks of one size; a consumer thread frees them all; the
 * producer mallocs N of that size again, then the consumer does: how many of the old
 * addresses each got back. Between the steps the other thread waits at a barrier, so the
 * steps never overlap and the run is the same every time.
 *
 * glibc (2.36 and 2.41): a free goes to the freeing thread's tcache while it holds fewer
 * than 7 blocks of the size class (requests up to 1,032 B), whichever arena the block came
 * from; the rest go back to the block's own arena, under its lock. So with a consumer that
 * stays alive, 7 of the producer's blocks sit in the consumer's tcache, where only the
 * consumer's mallocs of that size take them. A consumer thread started for one step and
 * joined after it gives them back as it exits (glibc frees a thread's tcache at its exit).
 *
 * The addresses are the evidence: each is kept as a number before its block is freed, and
 * compared, never read through. Valid only where glibc's malloc serves the blocks (not
 * under Valgrind or ASan, whose allocators keep a freed block out of use for a while).
 *
 * Before the steps the producer takes 7 blocks of the size and holds them to the end: its
 * own tcache then holds none of that size, whatever the program freed before.
 *
 * Allocates: one counted block for the addresses, what pthread_create allocates, 3N + 7
 * blocks of the size (counted, or glibc's own), and nothing else; all freed before it
 * returns. */
#ifndef XFREE_H
#define XFREE_H

#include <stdbool.h>
#include <stddef.h>

#include "countalloc.h"

/* glibc's defaults (glibc.malloc.tcache_count, glibc.malloc.tcache_max and
 * M_MMAP_THRESHOLD), what the lesson's figures assume: a thread's tcache keeps up to 7
 * blocks per size class, for requests up to 1,032 B; a request of 128 KiB and up gets
 * pages of its own (mmap), and a free of such a block raises that threshold to its size. */
#define XFREE_TCACHE_COUNT 7
#define XFREE_TCACHE_MAX 1032
#define XFREE_MMAP_THRESHOLD (128 * 1024)

#define XFREE_MAX_N 1000
#define XFREE_MAX_SIZE (1024 * 1024)

/* How the consumer's steps run. */
enum xfree_consumer {
    XFREE_LONG_LIVED,  /* one thread, alive from before the first step to after the last */
    XFREE_SHORT_LIVED, /* a thread started for each step and joined after it */
};

struct xfree_result {
    size_t producer_back; /* of the N addresses, how many the producer's next N mallocs got */
    size_t consumer_got;  /* how many the consumer's N mallocs got, after the producer's */
    bool mmapped;         /* glibc's own blocks: the first block had pages of its own (these
                           * three read glibc's chunk header: false under Valgrind) */
    bool again_mmapped;   /* ... and the producer's first malloc after the frees */
    size_t consumer_arena; /* ... how many of the consumer's came from an arena not the
                            * main one (a thread arena's, its own) */
    size_t chunk;         /* the chunk glibc gives each block (with the counting allocator's
                           * header, if counted); 0 under Valgrind */
    long long held;       /* of the N chunks the consumer freed, the bytes glibc's mallinfo2
                           * still counts in use (uordblks + hblkhd): N x chunk, less what
                           * left its count at the frees */
    struct countalloc_stats d; /* the producer's mallocs and the consumer's frees, as
                                * countalloc counts them (all threads) */
};

/* Run the steps for n blocks (1 to XFREE_MAX_N) of size bytes (1 to XFREE_MAX_SIZE):
 * counted, the blocks come from malloc (the counting allocator's, a 16-byte header each);
 * otherwise from glibc's own __libc_malloc. 0; or -1 with errno (EINVAL for n or size out
 * of range, ENOMEM, or what pthread_create said), every block and thread released. */
int xfree_run(size_t n, size_t size, bool counted, enum xfree_consumer how,
              struct xfree_result *r);

/* ---- the cost: the same traffic, freed where it was made or by the other thread ---- */

enum xfree_pattern {
    XFREE_OWN,   /* two threads, each mallocs, writes and frees its own half of the blocks */
    XFREE_CROSS, /* the caller mallocs and writes each block and passes it through a ring of
                  * XFREE_RING slots to a consumer thread, which reads it and frees it */
};

#define XFREE_RING 1024

/* m blocks (1 or more) of size bytes (1 to XFREE_MAX_SIZE) by two threads, the caller and
 * one it starts, in pattern p; *sum (if not NULL) gets the sum of the blocks' first bytes
 * as the reading side saw them. Allocates m blocks and what pthread_create allocates, all
 * freed before it returns. 0; or -1 with errno (EINVAL, ENOMEM, pthread_create's), every
 * block freed and the thread joined. A waiting thread spins, yielding the processor. */
int xfree_traffic(size_t m, size_t size, enum xfree_pattern p, unsigned long long *sum);

#endif
