/* sites: per-site allocation statistics, the C counterpart of Python's tracemalloc.
 * While tracing is on, every allocation counted by countalloc records its site (the
 * return address of the program's call, or a call stack for allocations libc makes on
 * its behalf, such as strdup and getline); a snapshot groups the blocks by the source line that asked for them (file:line and
 * function, found with elfutils libdw) like tracemalloc's statistics('lineno').
 * Snapshots are the caller's (sites_snapshot_free); the tracer's own tables are mmap'd,
 * so tracing never shows up in the heap it measures. Out of memory: sites_start and
 * sites_snapshot_* return -1 and leave everything as it was; a block the tracer had no
 * room to record is counted in `untraced` instead.
 *
 *   sites_start()                      tracemalloc.start()
 *   sites_traced(&current, &peak)      tracemalloc.get_traced_memory()
 *   sites_reset_peak()                 tracemalloc.reset_peak()
 *   sites_snapshot_take(&snap)         tracemalloc.take_snapshot()
 *   sites_snapshot_sort(snap, SITES_BY_BYTES)   snapshot.statistics('lineno')
 *   sites_snapshot_compare(new, old, &diff)     new.compare_to(old, 'lineno')
 *   sites_stop()                       tracemalloc.stop()
 *
 * Cost: off (the default) it is one predictable branch in countalloc, nothing
 * measurable (make bench-02: MallocFreeAfterStop against MallocFree). On, an allocation
 * the program makes itself is recorded by its return address (a hash lookup under a
 * mutex, its site kept in the block's header); one that libc makes for it (strdup,
 * getline) unwinds the stack with backtrace(3), microseconds. make toolcost-02 compares
 * it with the other tools. */
#ifndef SITES_H
#define SITES_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define SITES_FILE_MAX 96 /* bytes kept of a source file name (the tail, if longer) */
#define SITES_FUNC_MAX 64 /* bytes kept of a function name */

/* One source line's allocations (tracemalloc's Statistic / StatisticDiff). */
struct sites_stat {
    char file[SITES_FILE_MAX];  /* source file, "??" when unknown */
    char func[SITES_FUNC_MAX];  /* function, "??" when unknown */
    unsigned line;              /* 0 when unknown */
    int64_t bytes;              /* bytes live now (in a diff: the change) */
    int64_t blocks;             /* blocks live now (in a diff: the change) */
    uint64_t total_bytes;       /* bytes allocated since tracing started (diff: change) */
    uint64_t calls;             /* allocation calls since tracing started (diff: change) */
};

/* Statistics of one moment, one entry per source line. */
struct sites_snapshot {
    struct sites_stat *stat;    /* nstat entries, owned by the snapshot */
    size_t nstat;
    int64_t traced_bytes;       /* bytes live in traced blocks (tracemalloc's current) */
    int64_t peak_bytes;         /* highest traced_bytes since start or reset */
    uint64_t untraced;          /* allocations the tracer could not record */
};

/* Orders for sites_snapshot_sort and the report; ties go by file, then line. */
enum sites_order {
    SITES_BY_BYTES,             /* bytes live now, largest first (tracemalloc's 'size') */
    SITES_BY_BLOCKS,            /* blocks live now ('count') */
    SITES_BY_TOTAL_BYTES,       /* bytes allocated since start (heaptrack's "allocated") */
    SITES_BY_CALLS,             /* allocation calls since start (heaptrack's "most calls") */
};

/* Start tracing every counted allocation. Returns 0, or -1 if its tables could not be
 * mapped (tracing stays off). Already on: forgets nothing, returns 0. */
int sites_start(void);

/* Stop tracing and forget every trace (tracemalloc.stop()). Off already: nothing. */
void sites_stop(void);

/* 1 while tracing is on. */
int sites_tracing(void);

/* Bytes live in traced blocks now, and their high point since start or the last reset. */
void sites_traced(int64_t *current, int64_t *peak);

/* Set the peak to the bytes traced now (tracemalloc.reset_peak()). */
void sites_reset_peak(void);

/* Take a snapshot of the traces now, grouped by source line, in SITES_BY_BYTES order.
 * Returns 0 and sets *out, or -1 (out of memory, tracing off, or no helper process) and
 * leaves *out alone. Its own memory is not traced. Symbols are read by libdw in a forked
 * helper process (tens of ms), so its memory stays out of this one's heap and RSS. */
int sites_snapshot_take(struct sites_snapshot **out);

/* new - old, line by line (tracemalloc's compare_to): lines present in either, their
 * changes, sorted by the absolute change in bytes. Returns 0 and sets *out, or -1. */
int sites_snapshot_compare(const struct sites_snapshot *new_snap,
                           const struct sites_snapshot *old_snap, struct sites_snapshot **out);

/* Sort the snapshot's lines by `order`. Allocates nothing. */
void sites_snapshot_sort(struct sites_snapshot *snap, enum sites_order order);

/* The entry for file (its base name) and line, or NULL. */
const struct sites_stat *sites_snapshot_find(const struct sites_snapshot *snap,
                                             const char *file, unsigned line);

/* Free a snapshot. NULL does nothing. */
void sites_snapshot_free(struct sites_snapshot *snap);

/* Print the top n lines in `order`, one per line, like tracemalloc's statistics:
 *   heavy.c:42: heavy_build: 95.4 MiB in 1,000,000 blocks (live), 1,000,000 calls
 * Sorts snap. A diff prints its changes with signs. */
void sites_print(FILE *out, struct sites_snapshot *snap, enum sites_order order, size_t n,
                 int is_diff);

#endif
