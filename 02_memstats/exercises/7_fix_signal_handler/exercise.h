/* exercise.h: lesson 02, fix: a worker that does its work one step at a time and logs an
 * event for every tick of a timer (SIGALRM). See "malloc in a signal handler" in the
 * lesson's README: a handler runs in the middle of whatever the thread was doing, malloc
 * included, and malloc is not async-signal-safe: in a process that has a second thread,
 * a handler's malloc that lands while the interrupted malloc holds the arena's lock waits
 * for that lock for ever.
 *
 * The goal: the handler allocates nothing (it may only note the tick, in a volatile
 * sig_atomic_t); worker_step logs the events of the ticks noted so far, one malloc'd
 * event each, after its unit of work. So a step makes exactly 1 + (ticks not yet logged)
 * allocations, and once a step has run with no tick arriving, events logged = ticks.
 *
 * Out of memory: worker_step returns -1 with errno ENOMEM, and the worker is left as it
 * was before the failed allocation (the events logged so far on the log, the ticks not
 * logged yet still waiting for the next step). */
#ifndef EXERCISE_H
#define EXERCISE_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#define WORKER_SIGNAL SIGALRM
#define WORKER_BLOCK 4000 /* a step's work: a malloc and free of this many bytes */

/* One logged event: the tick it records (1, 2, 3 ...), newest first on the log. */
struct event {
    uint64_t tick;
    struct event *next;
};

struct worker {
    volatile sig_atomic_t ticks; /* ticks the handler has seen */
    uint64_t logged;             /* events on the log */
    struct event *log;           /* newest first */
    uint64_t steps;              /* units of work done */
};

/* Install the handler for WORKER_SIGNAL (one worker at a time); the worker starts empty.
 * 0, or -1 with errno. Allocates nothing. */
int worker_start(struct worker *w);

/* One unit of work, then the events of the ticks not logged yet. 0, or -1 with errno
 * ENOMEM (see above). */
int worker_step(struct worker *w);

/* Put WORKER_SIGNAL's default action back and free the log. */
void worker_stop(struct worker *w);

#endif
