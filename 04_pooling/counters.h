/* counters: one counter per thread in a shared array, packed or padded, to show false
 * sharing. Each thread writes only its own counter; packed, two threads' counters share a
 * 64-byte cache line, which a core must own to write into it. Padded, each counter sits
 * on lines of its own, as countalloc's per-thread slots do.
 *
 * Each add is made one of two ways: a plain load, add and store (one writer per counter,
 * as countalloc's slots are written), or one locked read-modify-write (atomic_fetch_add,
 * what a counter that several threads add to needs). A locked add must hold the line
 * while it runs, so false sharing costs it on every processor; a plain store can wait in
 * the core's store buffer while the line is away, and the core reads its own counter back
 * from there, so how much it loses depends on the processor.
 * One allocation per run (the array), freed before returning. */
#ifndef COUNTERS_H
#define COUNTERS_H

#include <stdint.h>

enum counters_layout {
    COUNTERS_PACKED, /* 8 bytes apart: eight counters to a cache line */
    COUNTERS_PADDED, /* COUNTERS_PAD bytes apart: no two on one line, or on a prefetched pair */
};

enum counters_add {
    COUNTERS_STORE,  /* load, add 1, store: no lock prefix, one writer per counter */
    COUNTERS_LOCKED, /* atomic_fetch_add: one locked add, as a shared counter needs */
};

#define COUNTERS_PAD 128 /* two lines: the adjacent-line prefetcher fetches lines in pairs */
#define COUNTERS_MAX_THREADS 64

/* Start `threads` threads (1 to COUNTERS_MAX_THREADS), each adding 1 to its own counter
 * `iters` times the `add` way, join them, and set *total to the sum. Returns 0, or -1
 * when the array or a thread could not be had: then every thread started has been joined
 * and the array freed, and *total is unchanged. */
int counters_run(enum counters_layout layout, enum counters_add add, unsigned threads,
                 uint64_t iters, uint64_t *total);

#endif
