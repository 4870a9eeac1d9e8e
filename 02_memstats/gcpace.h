/* gcpace.h: lesson 02's "why is a Go heap about twice its live set": the collector's
 * workload in C. A live set of blocks stays while garbage blocks go through it, each
 * allocated, filled and dropped. free drops a block at once, so the heap is the live set
 * plus the one block in flight; a collector drops garbage in batches, and the heap grows
 * by the batch (at GOGC=100 the batch is about the live set). gcpace_churn drops its
 * garbage `batch` blocks at a time: 1 is free at once.
 *
 * Ownership: a struct gcpace owns its live blocks; gcpace_free gives them back. Out of
 * memory: every function returns -1 having freed what it took, its inputs as they were. */
#ifndef GCPACE_H
#define GCPACE_H

#include <stddef.h>
#include <stdint.h>

#define GCPACE_BLOCK 4096 /* bytes per block, live or garbage: the Go twin's too */

/* The live set: n blocks of `block` bytes, each filled, behind an array of pointers. */
struct gcpace {
    unsigned char **blocks;
    size_t n;
    size_t block;
};
#define GCPACE_INIT {NULL, 0, 0}

/* Make the live set: 1 + n allocations, n * (sizeof(void *) + block) bytes. 0, or -1
 * (errno EINVAL for n or block 0 or a size that overflows, ENOMEM) with *g untouched. */
int gcpace_keep(struct gcpace *g, size_t n, size_t block);
/* n + 1 frees; nothing for an empty one. *g is empty after. */
void gcpace_free(struct gcpace *g);

/* Send `garbage` blocks of g->block bytes through: each allocated and filled, then freed
 * at once (batch 1), or kept until `batch` are waiting and those freed together, as a
 * collector frees. batch 1: garbage allocations; batch > 1: one more, the array of the
 * waiting blocks. The same frees. 0, or -1 (errno EINVAL for batch 0, ENOMEM) with every
 * garbage block freed. The live set is read, never changed. */
int gcpace_churn(const struct gcpace *g, uint64_t garbage, size_t batch);

/* The bytes gcpace_churn's garbage adds to the heap at its highest: one block at batch 1
 * (none without garbage); otherwise the array of batch pointers and batch blocks, or all
 * the garbage where there is less (0 for batch 0). */
uint64_t gcpace_in_flight(size_t block, size_t batch, uint64_t garbage);
/* The bytes gcpace_keep's live set takes: n blocks and the array of their pointers. */
uint64_t gcpace_live_bytes(size_t n, size_t block);

/* One run measured: keep n live blocks, churn garbage through them in batches of batch,
 * free the live set. */
struct gcpace_run {
    uint64_t peak;        /* the highest heap above where it started (countalloc) */
    uint64_t mallocs;     /* allocations, frees and bytes, counted */
    uint64_t frees;
    uint64_t total_alloc;
    uint64_t hwm_growth;  /* VmHWM at the end minus VmRSS at the start: the pages the run
                             added at its highest (0 where VmHWM could not be reset) */
    int hwm_reset;        /* whether VmHWM was reset to VmRSS before the run */
};

/* Run it. VmHWM is reset to VmRSS first (writing 5 to /proc/self/clear_refs), so the
 * growth is this run's alone; nothing but the run allocates. 0, or -1 with errno
 * (ENOMEM, with everything freed, or EINVAL as gcpace_keep and gcpace_churn say). */
int gcpace_measure(size_t n, size_t block, uint64_t garbage, size_t batch, struct gcpace_run *r);

#endif
