/* countalloc: a counting allocator, the C counterpart of Go's runtime.ReadMemStats,
 * testing.AllocsPerRun and Python's tracemalloc, with SQLite-style fault injection.
 * Linked into a program it replaces malloc and friends, forwards every call to glibc
 * and counts it; counting never allocates, and an allocation that fails (for real or
 * injected) returns NULL with errno ENOMEM exactly as glibc's would.
 *
 * The counting contract follows Valgrind memcheck's rules with Go's names:
 *   - mallocs: successful allocation calls. malloc, calloc (nmemb*size bytes),
 *     aligned_alloc, posix_memalign, memalign, valloc, pvalloc, realloc(NULL, n),
 *     reallocarray, and libc's own calls (strdup, fopen, getline, printf's buffer).
 *   - realloc(p, n) with p != NULL, n > 0: one malloc and one free of n bytes, even
 *     when the block shrinks or stays in place. realloc(p, 0): one free.
 *   - frees: free(p) with p != NULL. free(NULL) and failed calls count nothing.
 *   - total_alloc: cumulative requested bytes (memcheck's "bytes allocated").
 *   - heap_alloc: requested bytes live now; heap_objects = mallocs - frees.
 *   - peak: the highest heap_alloc seen since start or the last countalloc_peak_reset.
 *
 * Cost: what make bench-common prints, counted against glibc in the same run (the
 * reasoning and the instruction counts are at the top of countalloc.c). Counts are per
 * thread and summed on read, so they are exact under any number of threads without a
 * single atomic read-modify-write on the fast path. The peak is exact when a single
 * thread allocates and frees between a reset and a read (a single-threaded program, or a
 * test thread beside idle helper threads). Otherwise it is the highest heap that provably
 * occurred, never above the true peak but possibly well below it: a block one thread
 * allocates and another frees can leave no trace in it, even when the threads take turns.
 *
 * Where the toolbox differs from glibc: each block carries a 16-byte header holding its
 * requested size, and malloc_usable_size returns that requested size (as memcheck's
 * does), not glibc's rounded-up usable size.
 *
 * Which malloc is counted depends on the back-end linked beside the core (countalloc.c):
 * glibc's behind the header (countalloc_libc.c), the next one in lookup order
 * (countalloc_next.c), AddressSanitizer's through its hooks (countalloc_asan.c: no header,
 * no fault injection, countalloc_can_inject() returns false), or none (countalloc_none.c).
 * common/README.md tells the design. The OOM sweep built on the fault countdown is in
 * sweep.h. */
#ifndef COUNTALLOC_H
#define COUNTALLOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A snapshot of the counters (Go's runtime.MemStats, the allocation part). */
struct countalloc_stats {
    uint64_t mallocs;      /* successful allocation calls (Go Mallocs) */
    uint64_t frees;        /* frees of non-NULL pointers (Go Frees) */
    uint64_t total_alloc;  /* requested bytes, cumulative (Go TotalAlloc) */
    int64_t heap_alloc;    /* requested bytes live now (Go HeapAlloc) */
    int64_t heap_objects;  /* blocks live now: mallocs - frees (Go HeapObjects) */
    int64_t peak;          /* highest heap_alloc seen (tracemalloc's peak) */
};

/* Fill *out with the counters now. Allocates nothing; safe from any thread. */
void countalloc_read(struct countalloc_stats *out);

/* after - before, field by field. heap_alloc and heap_objects say what the interval
 * left live (0 and 0: nothing leaked); peak says how far the heap rose above
 * before.heap_alloc (reset the peak at `before` for this to be the interval's own). */
struct countalloc_stats countalloc_diff(const struct countalloc_stats *after,
                                        const struct countalloc_stats *before);

/* Set the peak to the heap in use now, like tracemalloc.reset_peak(). */
void countalloc_peak_reset(void);

/* Measure an interval: countalloc_measure_begin reads the counters and resets the peak,
 * countalloc_measure_end reads them again and returns end - start: what the interval
 * allocated and freed, what it left live, and (peak) how high the heap rose above where it
 * started. Every measurement in the toolbox is this pair (report_measure, alloc_assert.h,
 * the benchmark timer); a pair, not a callback, so that it brackets a statement, a timed
 * loop or a clock's readings without a function of its own in every stack (massif's
 * trees). Allocates nothing. */
void countalloc_measure_begin(struct countalloc_stats *start);
struct countalloc_stats countalloc_measure_end(const struct countalloc_stats *start);

/* Go's testing.AllocsPerRun: call fn(arg) once to warm up, then `runs` times, and
 * return the average number of allocations per call, rounded down (integer division). */
uint64_t countalloc_allocs_per_run(unsigned runs, void (*fn)(void *arg), void *arg);

/* Fault injection, after SQLite's test_malloc.c. countalloc_fail_at(n, false) makes the
 * n-th allocation from now fail (n = 1: the very next one) and the rest succeed;
 * countalloc_fail_at(n, true) makes the n-th and every later one fail. A failed call
 * returns NULL with errno ENOMEM and counts nothing. n = 0 turns injection off. */
void countalloc_fail_at(uint64_t n, bool persistent);

/* Turn injection off and return how many allocations it made fail since fail_at. */
uint64_t countalloc_fail_off(void);

/* False in sanitizer builds, where allocations cannot be made to fail. */
bool countalloc_can_inject(void);

/* Empty, never inlined: `break countalloc_fault_hit` stops at every injected failure. */
void countalloc_fault_hit(void);

/* Hooks for tools built on the counter (the site report of lesson 02). on_alloc runs
 * after every counted allocation with the caller's pointer and requested size, and
 * `from`: where the allocation call returns to (its return address: the site, when the
 * program called malloc itself), or NULL where unknown (sanitizer builds); on_free runs
 * before every counted free with the block's tag (below) as it was, 0 if it has none
 * (realloc: once glibc has resized or moved the block, on_free of the old pointer, which
 * must not be read, then on_alloc of the new). Both off by default,
 * costing one predictable branch. A hook's own allocations are counted like any other
 * but do not call the hooks again. NULL turns them off. */
struct countalloc_hooks {
    void (*on_alloc)(void *p, size_t n, const void *from);
    void (*on_free)(void *p, size_t n, uint32_t tag);
};
void countalloc_set_hooks(const struct countalloc_hooks *hooks);

/* The tag of live block p: a 32-bit word in its header, 0 when it is allocated, that a
 * hook may set in on_alloc and gets back in on_free (the site report keeps the block's
 * call site there, instead of a table keyed by address). A realloc'd block keeps it.
 * NULL when p has no room for one (aligned blocks, sanitizer builds). */
uint32_t *countalloc_tag(void *p);

/* Threads other than the caller that are counting now: they allocated and have not
 * exited. The at-exit report frees libc's buffers only when this is 0. */
unsigned countalloc_other_threads(void);

#endif
