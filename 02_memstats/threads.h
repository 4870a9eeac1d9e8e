/* threads.h: what a thread costs, lesson 02: a batch of threads started with glibc's
 * default stack or a stack size of the caller's, each parked on one condition variable
 * until the batch is released and joined; the process's VmSize and VmRSS and the counted
 * heap read with every thread parked, then after the join.
 *
 * Ownership: the batch and the thread ids are the caller's (on its stack, or its own
 * block); pthread_create maps each stack (mmap, not malloc) and callocs each new thread's
 * dynamic thread vector (DTV), which glibc keeps with the stacks it caches. Out of memory,
 * or out of threads: threads_start returns -1 with errno (ENOMEM, EAGAIN), having released
 * and joined every thread it started. The parked threads allocate nothing themselves. */
#ifndef THREADS_H
#define THREADS_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "countalloc.h"

/* Where a batch's threads wait: one lock, one condition, a count and a flag. */
struct threads_park {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    size_t parked;  /* threads waiting now */
    bool released;  /* set once: every thread returns */
};

struct threads_batch {
    pthread_t *tid;   /* the caller's array of n ids */
    size_t started;   /* threads running: threads_join joins these */
    struct threads_park park;
};

/* Start n threads (1 or more) into tid[0..n), with a stack of stack bytes (0: glibc's
 * default, from RLIMIT_STACK), and wait until every one is parked. Allocates what
 * pthread_create does: a DTV per thread that does not reuse a cached stack. 0; or -1 with
 * errno (EINVAL for n of 0 or a stack below PTHREAD_STACK_MIN; what pthread_create said:
 * EAGAIN, ENOMEM), every thread started released and joined. */
int threads_start(struct threads_batch *b, pthread_t *tid, size_t n, size_t stack);

/* Release the parked threads and join them all. Allocates nothing; a joined thread's stack
 * and DTV go to glibc's cache of stacks, or are unmapped and freed past its size. */
void threads_join(struct threads_batch *b);

/* The stack glibc gives a thread by default, and the guard page below it (bytes), from
 * pthread_getattr_default_np; 0 and 0 if it fails. Allocates nothing. */
void threads_defaults(size_t *stack, size_t *guard);

/* The process's address space and resident set (bytes), from /proc/self/status. */
struct threads_vm {
    uint64_t size; /* VmSize */
    uint64_t rss;  /* VmRSS */
};

/* One batch measured, start to join. */
struct threads_cost {
    struct countalloc_stats start; /* what threads_start allocated */
    struct countalloc_stats join;  /* what threads_join freed */
    struct threads_vm before;      /* before the threads started */
    struct threads_vm parked;      /* every thread parked */
    struct threads_vm joined;      /* after the join */
};

/* Start n threads with the given stack into tid[0..n), measure with all of them parked,
 * join them, and measure again. Allocates what threads_start does. 0; or -1 with errno:
 * the batch could not start (nothing left running), or /proc could not be read. */
int threads_measure(pthread_t *tid, size_t n, size_t stack, struct threads_cost *c);

#endif
