/* sweep.h: the OOM sweep, after SQLite's test_malloc.c. fn(ctx) does one whole job,
 * frees what it took, and returns 0 on success or non-zero when it reported an allocation
 * failure. sweep_run runs it with its 1st, 2nd, 3rd ... allocation failing
 * (countalloc_fail_at) until a run completes with no failure injected, and checks every
 * step: was the failure reported, did the heap come back. The tests call it through
 * ASSERT_SWEEP_CLEAN and ASSERT_SWEEP_ABSORBS (alloc_assert.h); make check totals the log. */
#ifndef SWEEP_H
#define SWEEP_H

#include <stdbool.h>
#include <stdint.h>

struct sweep_result {
    unsigned points;        /* allocation points failed in turn (steps with a fault) */
    unsigned unreported;    /* steps where fn returned 0 although an allocation failed */
    unsigned leaks;         /* steps that left heap_alloc or heap_objects changed */
    unsigned first_unreported; /* step of the first unreported failure, 0 if none */
    unsigned first_leak;    /* step of the first leak, 0 if none */
    int64_t leaked_bytes;   /* heap_alloc left by the first leaking step */
    int64_t leaked_objects; /* heap_objects left by the first leaking step */
    bool completed;         /* the final run, with no fault, returned 0 and did not leak */
};

/* Run the sweep described above; max_points bounds it (0: 100,000). */
void sweep_run(int (*fn)(void *ctx), void *ctx, unsigned max_points, struct sweep_result *out);

/* Append one line to the file named by the environment variable SWEEP_LOG, if set:
 *     sweep NAME points=N leaks=L unreported=U absorbed=A
 * absorbs: fn is built on libc calls that recover from a failed allocation themselves
 * (asprintf, open_memstream) and checks its own result, so its successes after an
 * injected failure are logged as absorbed, not as unreported. */
void sweep_log(const char *name, const struct sweep_result *r, bool absorbs);

#endif
