/* alloc_assert.h: Criterion assertions on allocation counts, measured as deltas around
 * one statement inside the test body (the worker's own start-up allocations never
 * count). A failure says what was expected, what was seen, and the bytes:
 *
 *   ASSERT_ALLOCS(buf = malloc(1024), 1, 1024);
 *   -> "buf = malloc(1024): expected exactly 1 allocation of 1,024 bytes,
 *       saw 2 allocations of 2,048 bytes"
 *
 * Include after <criterion/criterion.h>. A passing assertion allocates nothing. */
#ifndef ALLOC_ASSERT_H
#define ALLOC_ASSERT_H

#include "countalloc.h"
#include "native_only.h"
#include "report.h"
#include "sweep.h"

#include <criterion/criterion.h>
#include <valgrind/valgrind.h>

/* Set d (a struct countalloc_stats) to what stmt moved: allocations, frees, bytes, what
 * stayed live, and its own peak. For assertions the macros below do not make. */
#define ALLOC_MEASURE(stmt, d)                                          \
    do {                                                                \
        struct countalloc_stats ms_;                                    \
        countalloc_measure_begin(&ms_);                                 \
        stmt;                                                           \
        (d) = countalloc_measure_end(&ms_);                             \
    } while (0)

#define ALLOC_ASSERT_MEASURE_(stmt, d)                                  \
    struct countalloc_stats d;                                          \
    ALLOC_MEASURE(stmt, d)

#define ALLOC_PLURAL_(n) ((n) == 1 ? "" : "s")

/* stmt makes exactly `count` allocations of `bytes` bytes in all. */
#define ASSERT_ALLOCS(stmt, count, bytes)                                               \
    do {                                                                                \
        ALLOC_ASSERT_MEASURE_(stmt, d_);                                                \
        char e1_[32], e2_[32], s1_[32], s2_[32];                                        \
        uint64_t ec_ = (uint64_t)(count), eb_ = (uint64_t)(bytes);                      \
        cr_assert(d_.mallocs == ec_ && d_.total_alloc == eb_,                           \
                  "%s: expected exactly %s allocation%s of %s bytes, "                  \
                  "saw %s allocation%s of %s bytes",                                    \
                  #stmt, report_count(ec_, e1_, 32), ALLOC_PLURAL_(ec_),            \
                  report_count(eb_, e2_, 32), report_count(d_.mallocs, s1_, 32),\
                  ALLOC_PLURAL_(d_.mallocs), report_count(d_.total_alloc, s2_, 32));\
    } while (0)

/* stmt makes exactly `count` allocations, whatever their size. */
#define ASSERT_ALLOC_COUNT(stmt, count)                                                 \
    do {                                                                                \
        ALLOC_ASSERT_MEASURE_(stmt, d_);                                                \
        uint64_t ec_ = (uint64_t)(count);                                               \
        cr_assert(d_.mallocs == ec_,                                                    \
                  "%s: expected exactly %llu allocation%s, saw %llu allocation%s "      \
                  "of %llu bytes",                                                      \
                  #stmt, (unsigned long long)ec_, ALLOC_PLURAL_(ec_),                   \
                  (unsigned long long)d_.mallocs, ALLOC_PLURAL_(d_.mallocs),            \
                  (unsigned long long)d_.total_alloc);                                  \
    } while (0)

/* stmt allocates nothing at all. */
#define ASSERT_NO_ALLOCS(stmt) ASSERT_ALLOCS(stmt, 0, 0)

/* stmt frees everything it allocates: heap_alloc and heap_objects come back. */
#define ASSERT_NO_LEAK(stmt)                                                            \
    do {                                                                                \
        ALLOC_ASSERT_MEASURE_(stmt, d_);                                                \
        cr_assert(d_.heap_alloc == 0 && d_.heap_objects == 0,                           \
                  "%s: expected the heap back where it started, "                       \
                  "but %lld bytes in %lld blocks are still live",                       \
                  #stmt, (long long)d_.heap_alloc, (long long)d_.heap_objects);         \
    } while (0)

/* Everything allocated since countalloc_measure_begin(start) is freed: heap_alloc and
 * heap_objects back where they were. For a span of statements ASSERT_NO_LEAK cannot wrap. */
#define ASSERT_ALL_FREED_SINCE(start, what)                                             \
    do {                                                                                \
        struct countalloc_stats af_ = countalloc_measure_end(start);                    \
        cr_assert(af_.heap_alloc == 0 && af_.heap_objects == 0,                         \
                  "%s: expected every block freed, but %lld bytes in %lld blocks are "  \
                  "still live",                                                         \
                  (what), (long long)af_.heap_alloc, (long long)af_.heap_objects);      \
    } while (0)

/* Skip, visibly, a test that needs fault injection in a build that has none (ASan). */
#define SKIP_WITHOUT_INJECTION()                                                        \
    do {                                                                                \
        if (!countalloc_can_inject())                                                   \
            cr_skip_test("fault injection is unavailable in sanitizer builds");         \
    } while (0)

/* Skip, visibly, a count that ASan's allocator makes differently (malloc(0) is 1 byte
 * there; its thread start-up allocates through the same hooks). */
#define SKIP_IN_SANITIZER_BUILD(why)                                                    \
    do {                                                                                \
        if (!countalloc_can_inject())                                                   \
            cr_skip_test("sanitizer build: %s", why);                                   \
    } while (0)

/* Skip, visibly, what cannot run under Valgrind once the test has found out why (glibc's
 * version, say). A test that never runs there says so at its declaration instead, with
 * NATIVE_ONLY or GLIBC_MALLOC_ONLY (native_only.h): the runner then skips it without
 * starting its process, which under make check's memcheck costs about a second. */
#define SKIP_UNDER_VALGRIND(why)                                                        \
    do {                                                                                \
        if (RUNNING_ON_VALGRIND)                                                        \
            cr_skip_test("under Valgrind: %s", why);                                    \
    } while (0)

/* The checks both sweeps below make: some allocation failed, nothing leaked at any
 * step, and the final run, with no failure injected, succeeded. */
#define ALLOC_SWEEP_CHECK_(fn, r)                                                       \
    do {                                                                                \
        cr_assert(r.points > 0, "%s: expected at least one allocation to fail, "        \
                  "but it made none", fn);                                              \
        cr_assert(r.leaks == 0, "%s: failing allocation %u of %u leaked %lld bytes "    \
                  "in %lld blocks", fn, r.first_leak, r.points,                         \
                  (long long)r.leaked_bytes, (long long)r.leaked_objects);              \
        cr_assert(r.completed, "%s: with no failure injected it did not succeed "       \
                  "cleanly", fn);                                                       \
    } while (0)

/* The OOM sweep of fn(ctx) (see sweep.h): every allocation point failed in
 * turn was reported as a failure, nothing leaked, and the final run succeeded. */
#define ASSERT_SWEEP_CLEAN(fn, ctx)                                                     \
    do {                                                                                \
        SKIP_WITHOUT_INJECTION();                                                       \
        struct sweep_result r_;                                                         \
        sweep_run((fn), (ctx), 0, &r_);                                                 \
        cr_assert(r_.unreported == 0, "%s: failing allocation %u of %u went "           \
                  "unreported (it returned success)", #fn, r_.first_unreported,         \
                  r_.points);                                                           \
        ALLOC_SWEEP_CHECK_(#fn, r_);                                                    \
        sweep_log(#fn, &r_, false);                                                     \
    } while (0)

/* The sweep of a function built on libc calls that recover from a failed allocation
 * themselves (asprintf keeps its first buffer when the one that fits fails;
 * open_memstream keeps a larger buffer). fn(ctx) must check its own result whenever it
 * returns 0; a success after an injected failure then counts as absorbed, not as
 * unreported. Nothing may leak, and the final run must succeed. */
#define ASSERT_SWEEP_ABSORBS(fn, ctx)                                                   \
    do {                                                                                \
        SKIP_WITHOUT_INJECTION();                                                       \
        struct sweep_result r_;                                                         \
        sweep_run((fn), (ctx), 0, &r_);                                                 \
        ALLOC_SWEEP_CHECK_(#fn, r_);                                                    \
        sweep_log(#fn, &r_, true);                                                      \
    } while (0)

#endif
