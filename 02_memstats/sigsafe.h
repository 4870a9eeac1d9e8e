/* sigsafe.h: malloc in a signal handler, and after fork, lesson 02: a lock no one will
 * release. Four experiments, each in a child process where it could hang or leave a lock
 * taken:
 *   - glibc's malloc in a handler, sampled: a child whose main loop mallocs and frees a
 *     block glibc serves from its arena, a timer's SIGALRM every SIGSAFE_TICK_US, and a
 *     handler that either mallocs too or only counts the tick in a volatile sig_atomic_t
 *     that the loop acts on; with or without a second thread alive. Finished, or hung
 *     (still running at the deadline: its /proc/PID/syscall is read, then it is killed);
 *   - a lock of our own, exact: a pool's mutex held when a signal comes (raise()), and the
 *     handler's pool_get: PTHREAD_MUTEX_ERRORCHECK returns EDEADLK; a default mutex waits
 *     for ever (in a child, killed at a deadline);
 *   - fork while another thread holds the pool's lock: the child's timed lock times out
 *     (the owner is not in the child), unless pthread_atfork handlers take the lock around
 *     the fork; and glibc's own malloc in children forked while a thread mallocs;
 *   - the counting allocator and a handler that only sets a flag: the loop's allocations
 *     plus one per tick acted on, exactly.
 *
 * Ownership: a pool's blocks are its own (one malloc each at sigsafe_pool_init, freed by
 * sigsafe_pool_destroy); everything else lives on the caller's stack or in one shared
 * page mapped and unmapped per run. Functions that can fail return -1 with errno and
 * leave nothing behind (no child running, no thread, no mapping, no block). */
#ifndef SIGSAFE_H
#define SIGSAFE_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SIGSAFE_BLOCK 4000   /* the loop's block: above the tcache's largest (1,032 B), so
                                every malloc and free of it goes to the arena */
#define SIGSAFE_RECORD 64    /* what the flag way allocates per tick, in the loop */
#define SIGSAFE_TICK_US 200  /* the timer's period */

/* ---- 1. glibc's malloc in a handler, sampled ---- */

enum sigsafe_way {
    SIGSAFE_MALLOC,  /* the handler mallocs and frees a block of SIGSAFE_BLOCK bytes */
    SIGSAFE_FLAG,    /* the handler counts the tick; the loop mallocs a record for it */
};

struct sigsafe_run {
    bool finished;     /* the child exited 0 before the deadline */
    long syscall;      /* not finished: its /proc/PID/syscall's number (202 is futex on
                          x86-64), -1 when it was running, not in a system call */
    uint64_t handled;  /* ticks the handler saw (a sig_atomic_t; for SIGSAFE_MALLOC, the
                          handler's mallocs that returned) */
    uint64_t acted;    /* SIGSAFE_FLAG: ticks the loop acted on, each with one malloc */
    uint64_t mallocs;  /* SIGSAFE_FLAG, finished: what the counting allocator counted from
                          the timer's start to the end of the loop */
    uint64_t pairs;    /* the loop's malloc + free pairs done */
    double ms;         /* from the fork to the exit, or to the kill */
};

/* The futex system call's number, which a hung child waits in. */
long sigsafe_futex_nr(void);

/* One child: a second thread parked with every signal blocked when thread is true, then
 * the timer, then `pairs` malloc + free of SIGSAFE_BLOCK bytes, the handler `way`. Waits
 * for it up to deadline_ms; a child still running then is killed and reaped. 0; or -1
 * with errno: the mapping or the fork failed, or the child could not run (ENOMEM: a
 * malloc failed in it; ECHILD: it ended some other way). Allocates nothing in the caller. */
int sigsafe_run(bool thread, enum sigsafe_way way, uint64_t pairs, unsigned deadline_ms,
                struct sigsafe_run *r);

/* ---- 2. a lock of our own, and a handler that takes it ---- */

/* A free list behind a mutex: n blocks of size bytes. */
struct sigsafe_pool {
    pthread_mutex_t lock;
    void *free;     /* the first free block; each holds the next */
    size_t size;
    size_t n;       /* blocks the pool owns */
    size_t taken;   /* blocks handed out now */
};

/* n blocks (1 or more) of size bytes (at least a pointer's), one malloc each, behind a
 * mutex of the given type (PTHREAD_MUTEX_ERRORCHECK, PTHREAD_MUTEX_DEFAULT). 0; or -1 with
 * errno (EINVAL, ENOMEM), every block taken freed. */
int sigsafe_pool_init(struct sigsafe_pool *p, size_t size, size_t n, int type);

/* A block from the pool, under its lock; NULL with errno ENOMEM when none is free, or the
 * lock's error (EDEADLK: this thread holds it already, an error-checking mutex). Allocates
 * nothing. */
void *sigsafe_pool_get(struct sigsafe_pool *p);
void sigsafe_pool_put(struct sigsafe_pool *p, void *block);

/* Frees every block; the pool's blocks must all be back. */
void sigsafe_pool_destroy(struct sigsafe_pool *p);

/* Lock p's mutex, raise(SIGUSR1) as if the signal came while this thread was inside
 * pool_get, and let the handler call sigsafe_pool_get(p); unlock. Returns the handler's
 * errno (0 if it got a block, which it puts back): EDEADLK for an error-checking mutex.
 * Never call it with a default mutex (the handler would wait for ever): that is
 * sigsafe_reentry_child's. -1 with errno when the handler could not be installed. */
int sigsafe_reentry(struct sigsafe_pool *p);

/* The same in a child, with a default mutex: it waits in the handler's lock. Waits for
 * the handler to start, then deadline_ms more; *finished says whether the child exited
 * and *syscall what it waits in (sigsafe_run's). 0, or -1 with errno. */
int sigsafe_reentry_child(unsigned deadline_ms, bool *finished, long *syscall);

/* ---- 3. fork while a thread holds the lock ---- */

struct sigsafe_forked {
    int lock;          /* the child's pthread_mutex_timedlock: 0 or ETIMEDOUT */
    bool waited;       /* the fork returned after the holder let the lock go (an order of
                        * two clock readings, not a duration: true with atfork, whose
                        * prepare handler waits for the lock; false without) */
};

/* A thread takes p's lock and holds it; the main thread forks; the child tries the lock
 * with a timeout of wait_ms and reports. Without atfork the holder releases when the
 * parent has forked (so the child's copy of the lock is held by a thread the child does not
 * have); with atfork, pthread_atfork handlers take the lock before the fork (waiting for
 * the holder, which lets go after hold_ms) and release it in both processes after. 0, or -1
 * with errno (the thread, the fork or the child failed). */
int sigsafe_fork_locked(struct sigsafe_pool *p, bool atfork, unsigned hold_ms, unsigned wait_ms,
                        struct sigsafe_forked *out);

/* A thread mallocs and frees SIGSAFE_BLOCK bytes in a loop while the main thread forks
 * `forks` children, each of which mallocs, frees and exits; each is waited for up to
 * deadline_ms. *finished: how many made their malloc and exited in time (the others are
 * killed). 0, or -1 with errno (the thread or a fork failed, or a child's malloc did:
 * ENOMEM; what was started is stopped and reaped). */
int sigsafe_fork_malloc(unsigned forks, unsigned deadline_ms, unsigned *finished);

#endif
