/* limits.h: where "out of memory" really comes from on Linux, for lesson 01: the
 * kernel's overcommit policy, an address-space limit (RLIMIT_AS) that makes malloc return
 * NULL for real, and the stack's limit (RLIMIT_STACK) with an overflow that kills only a
 * child process. Each experiment that could hurt runs in a child process of its own and
 * comes back as a struct; the caller's process is left as it was.
 *
 * Nothing here allocates in the caller's process. */
#ifndef LIMITS_H
#define LIMITS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* /proc/sys/vm/overcommit_memory: 0 heuristic (the default: refuse only a single request
 * larger than RAM + swap), 1 always (never refuse), 2 never (refuse past CommitLimit).
 * Returns -1 if the file cannot be read. Read only: this never changes it. */
int limits_overcommit_policy(void);

/* A number from a /proc file such as /proc/self/oom_score (the OOM killer's badness of
 * this process, 0 to 1000: about its share of RAM) or oom_score_adj (-1000 to 1000, what
 * the administrator adds). INT32_MIN if it cannot be read. */
int limits_oom_score(const char *path);

/* MemTotal and SwapTotal from /proc/meminfo, bytes; 0 if absent. */
uint64_t limits_mem_total(void);
uint64_t limits_swap_total(void);

/* What a child saw when it asked malloc for `count` blocks of `size` bytes each (no page
 * touched), with its address space limited or not. */
struct limits_try {
    unsigned granted;     /* blocks malloc returned */
    int error;            /* errno after the first NULL, 0 if none */
    uint64_t rss_grown;   /* resident set the granted blocks added, bytes */
    int vec_reserve_rc;   /* vec_reserve of `size` bytes of int64_t, afterwards: 0 or -1 */
};

/* In a child process: if headroom is nonzero, setrlimit(RLIMIT_AS) to the child's
 * current address space plus headroom bytes; then malloc `count` blocks of `size`
 * bytes, never touching them, then try lesson 01's vec_reserve for `size` bytes.
 * Returns 0, or -1 if the child could not run or report. */
int limits_try_malloc(uint64_t headroom, size_t size, unsigned count, struct limits_try *out);

/* RLIMIT_STACK's soft limit (ulimit -s) in bytes; UINT64_MAX for unlimited. */
uint64_t limits_stack_limit(void);

/* What a child saw when it recursed until its stack ran out. */
struct limits_overflow {
    int signal;           /* the signal that ended the child: SIGSEGV; 0 if it exited */
    uint64_t depth;       /* frames reached before it died */
    uint64_t used;        /* stack bytes those frames took (depth * frame), about */
};

#define LIMITS_FRAME 1024 /* bytes of locals per frame of the recursion */

/* In a child process: lower RLIMIT_STACK to `limit` bytes, then recurse with
 * LIMITS_FRAME-byte frames until the stack overflows. The child dies of SIGSEGV (its
 * core dump turned off); the depth comes back through a shared page. 0, or -1. */
int limits_overflow_in_child(uint64_t limit, struct limits_overflow *out);

/* In a child process: run fn(arg) and report how the child ended: 0 if fn returned,
 * else the signal that killed it (SIGSEGV for a stack overflow); -1 if it could not
 * start. For the VLA and alloca experiments (stackmem.h). */
int limits_signal_in_child(void (*fn)(void *arg), void *arg);

#endif
