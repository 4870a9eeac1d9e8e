/* test_xfree.c: a producer's blocks freed by a consumer thread (xfree.h). Where glibc puts
 * them, from the addresses each thread's next mallocs get: the consumer's tcache keeps
 * min(N, 7) when the consumer stays alive and none when it exits after the frees; past the
 * tcache every block goes back to the producer's arena; an mmap'd block to the kernel.
 * Then what xfree_run and the cost's traffic (xfree_traffic) allocate, their failures, and
 * the demo's bad arguments; the traffic's time is the demo's, never asserted.
 *
 * glibc 2.36 (Debian 12) and 2.41 (Debian 13) do the same here. The addresses are the
 * demo's (demo/xfree N SIZE), a process started for each case: a run in this worker, or in
 * a fork of it, would find the worker's own free chunks in the bins, and on glibc 2.41 it
 * did (a 40-byte request served from a 64-byte chunk; 12 of 20 back at 24 B, not 13). The
 * address tests are skipped under Valgrind and in ASan builds, whose allocators keep a
 * freed block out of use for a while; the allocation counts hold under any allocator. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "alloc_assert.h"
#include "child.h"
#include "cli_assert.h"
#include "countalloc.h"
#include "xfree.h"
#include "xfree_rows.h"

static const size_t ns[] = {1, 7, 8, 20, 100};

/* Sizes the tcache takes: the smallest class (32-byte chunks) to its largest. */
static const size_t tcache_sizes[] = {24, 40, 64, 500, XFREE_TCACHE_MAX};

/* demo(N, SIZE, &alive, &per_step): the demo's two rows (xfree_rows.h). */
static void demo(size_t n, size_t size, struct xfree_row *alive, struct xfree_row *per_step)
{
    xfree_demo_rows("demo/xfree", n, size, alive, per_step);
}

/* glibc's chunk for a request of n bytes below the mmap threshold: n and its 8-byte size
 * field rounded up to 16, at least 32 (request2size). */
static size_t chunk_for(size_t n)
{
    size_t c = (n + 8 + 15) & ~(size_t)15;

    return c < 32 ? 32 : c;
}

static size_t min_sz(size_t a, size_t b)
{
    return a < b ? a : b;
}

/* ---- where the blocks go ---- */

Test(xfree, a_consumer_alive_keeps_min_n_7_blocks_in_its_tcache_and_the_producer_gets_the_rest,
     GLIBC_MALLOC_ONLY)
{
    for (size_t k = 0; k < sizeof tcache_sizes / sizeof tcache_sizes[0]; k++) {
        for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++) {
            size_t n = ns[i], size = tcache_sizes[k], kept = min_sz(n, XFREE_TCACHE_COUNT);
            struct xfree_row r, s;

            demo(n, size, &r, &s);
            cr_assert(eq(sz, r.chunk, chunk_for(size)), "%zu B: a chunk of %zu B, saw %zu", size,
                      chunk_for(size), r.chunk);
            cr_assert(eq(sz, r.consumer, kept),
                      "N %zu, %zu B: the consumer's tcache should hold min(N, %d) = %zu of the "
                      "producer's blocks and its mallocs get them, saw %zu", n, size,
                      XFREE_TCACHE_COUNT, kept, r.consumer);
            cr_assert(eq(sz, r.producer, n - kept),
                      "N %zu, %zu B: the other %zu should go back to the producer's arena, "
                      "saw %zu", n, size, n - kept, r.producer);
            cr_assert(eq(i64, r.held, (long long)(kept * r.chunk)),
                      "N %zu, %zu B: mallinfo2 should still count %zu chunks of %zu B in use "
                      "(the consumer's tcache), saw %lld B", n, size, kept, r.chunk, r.held);
            cr_assert(strcmp(r.mmapped, "no") == 0, "%zu B: from the heap", size);
        }
    }
}

Test(xfree, a_consumer_that_exits_after_its_frees_gives_every_block_back_to_the_producer,
     GLIBC_MALLOC_ONLY)
{
    for (size_t k = 0; k < sizeof tcache_sizes / sizeof tcache_sizes[0]; k++) {
        for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++) {
            size_t n = ns[i], size = tcache_sizes[k];
            struct xfree_row r, s;

            demo(n, size, &r, &s);
            cr_assert(s.producer == n && s.consumer == 0 && s.held == 0,
                      "N %zu, %zu B: the thread's exit frees its tcache to the producer's "
                      "arena: expected the producer %zu, the consumer 0, 0 B held; saw %zu, "
                      "%zu, %lld B", n, size, n, s.producer, s.consumer, s.held);
        }
    }
}

Test(xfree, past_the_tcache_every_block_goes_back_to_the_producers_arena, GLIBC_MALLOC_ONLY)
{
    static const size_t sizes[] = {XFREE_TCACHE_MAX + 8, 4096, 100000};

    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++) {
            size_t n = ns[i], size = sizes[k];
            struct xfree_row r, s;

            demo(n, size, &r, &s);
            cr_assert(eq(sz, r.chunk, chunk_for(size)));
            cr_assert(r.producer == n && r.consumer == 0 && r.held == 0 && s.producer == n &&
                          s.consumer == 0 && s.held == 0,
                      "N %zu, %zu B: past the tcache's %d B a free goes to the block's arena: "
                      "expected the producer %zu, the consumer 0, 0 B held; saw %zu, %zu, "
                      "%lld B (a thread per step: %zu, %zu, %lld B)", n, size, XFREE_TCACHE_MAX,
                      n, r.producer, r.consumer, r.held, s.producer, s.consumer, s.held);
        }
    }
}

Test(xfree, an_mmapped_block_goes_back_to_the_kernel_and_its_free_raises_the_mmap_threshold,
     GLIBC_MALLOC_ONLY)
{
    static const size_t sizes[] = {200000, XFREE_MAX_SIZE};

    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++) {
            size_t n = ns[i], size = sizes[k];
            struct xfree_row r, s;

            demo(n, size, &r, &s);
            cr_assert(strcmp(r.mmapped, "yes, no") == 0,
                      "%zu B: mmap'd at first (the default threshold, %d B), from the heap "
                      "after the free raised it; saw \"%s\"", size, XFREE_MMAP_THRESHOLD,
                      r.mmapped);
            cr_assert(r.producer == 0 && r.consumer == 0 && r.neither == n && r.held == 0,
                      "N %zu, %zu B: expected no old address back and 0 B held; saw %zu, %zu, "
                      "%lld B", n, size, r.producer, r.consumer, r.held);
        }
    }
}

/* The counted run, in a fork of this worker (child_run): its counts are countalloc's. */
struct job {
    size_t n, size;
    struct xfree_result r;
};

static int job(void *ctx)
{
    struct job *j = ctx;

    return xfree_run(j->n, j->size, true, XFREE_LONG_LIVED, &j->r);
}

static struct xfree_result counted_run(size_t n, size_t size)
{
    struct job j = {n, size, {0}};

    cr_assert(eq(int, child_run(job, &j, sizeof j), 0), "N %zu, %zu B: the run in a child", n,
              size);
    return j.r;
}

/* countalloc's counters are the process's: the consumer's frees take back what the
 * producer's mallocs added, while glibc still counts the consumer's tcache in use. */
Test(xfree, counted_the_heap_in_use_falls_back_to_0_while_glibc_holds_the_tcaches_chunks,
     GLIBC_MALLOC_ONLY)
{
    for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++) {
        size_t n = ns[i], kept = min_sz(n, XFREE_TCACHE_COUNT);
        struct xfree_result r = counted_run(n, 64);

        cr_assert(r.d.mallocs == n && r.d.frees == n && r.d.total_alloc == n * 64 &&
                      r.d.heap_alloc == 0 && r.d.heap_objects == 0,
                  "N %zu: expected %zu mallocs of 64 B and %zu frees, 0 B left; saw %llu, "
                  "%llu, %lld B", n, n, n, (unsigned long long)r.d.mallocs,
                  (unsigned long long)r.d.frees, (long long)r.d.heap_alloc);
        cr_assert(eq(sz, r.chunk, chunk_for(64 + 16)), "64 B and the 16-byte header");
        cr_assert(r.consumer_got == kept && r.held == (long long)(kept * r.chunk),
                  "N %zu: expected %zu in the consumer's tcache, %zu B held; saw %zu, %lld B",
                  n, kept, kept * r.chunk, r.consumer_got, r.held);
    }
}

/* ---- what it allocates ---- */

/* Once a thread has run, glibc starts the next on its cached stack, allocating nothing:
 * the counts are the array and the 3N + 7 blocks. */
Test(xfree_allocs, a_run_is_one_array_and_3n_plus_7_counted_blocks_once_a_thread_stack_is_cached)
{
    static const size_t sizes[] = {1, 64, 1000};
    struct xfree_result r;

    SKIP_IN_SANITIZER_BUILD("ASan's thread start-up allocates through the same hooks");
    cr_assert(eq(int, xfree_run(1, 8, true, XFREE_LONG_LIVED, &r), 0)); /* the cached stack */
    for (int how = XFREE_LONG_LIVED; how <= XFREE_SHORT_LIVED; how++) {
        for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
            for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++) {
                size_t n = ns[i], size = sizes[k];
                size_t blocks = 3 * n + XFREE_TCACHE_COUNT;
                size_t bytes = n * (2 * sizeof(void *) + sizeof(uintptr_t)) + blocks * size;

                ASSERT_ALLOCS(xfree_run(n, size, true, (enum xfree_consumer)how, &r), 1 + blocks,
                              bytes);
                ASSERT_ALLOCS(xfree_run(n, size, false, (enum xfree_consumer)how, &r), 1,
                              n * (2 * sizeof(void *) + sizeof(uintptr_t)));
                ASSERT_NO_LEAK(xfree_run(n, size, true, (enum xfree_consumer)how, &r));
            }
        }
    }
}

Test(xfree_allocs, bad_n_or_size_is_refused_with_einval_and_nothing_allocated)
{
    static const size_t bad[][2] = {{0, 64}, {XFREE_MAX_N + 1, 64}, {20, 0}, {20, XFREE_MAX_SIZE + 1}};
    struct xfree_result r;

    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        int rc = 0;

        errno = 0;
        ASSERT_NO_ALLOCS(rc = xfree_run(bad[k][0], bad[k][1], true, XFREE_LONG_LIVED, &r));
        cr_assert(rc == -1 && errno == EINVAL, "N %zu, %zu B: expected -1 and EINVAL, saw %d, %d",
                  bad[k][0], bad[k][1], rc, errno);
    }
}

/* The cost's traffic: m blocks, both ways, each read once by the side that frees it. */
Test(xfree_allocs, the_traffic_is_m_blocks_either_way_all_freed_and_every_one_read)
{
    static const size_t ms[] = {1, 2, 7, XFREE_RING, XFREE_RING + 1, 3000};

    SKIP_IN_SANITIZER_BUILD("ASan's thread start-up allocates through the same hooks");
    cr_assert(eq(int, xfree_traffic(1, 8, XFREE_OWN, NULL), 0)); /* the cached stack */
    for (int p = XFREE_OWN; p <= XFREE_CROSS; p++) {
        for (size_t i = 0; i < sizeof ms / sizeof ms[0]; i++) {
            size_t m = ms[i];
            unsigned long long sum = 0, want = 0;
            struct countalloc_stats d;
            int rc = -1;

            for (size_t k = 0; k < m; k++)
                want += k % 256;
            ALLOC_MEASURE(rc = xfree_traffic(m, 64, (enum xfree_pattern)p, &sum), d);
            cr_assert(eq(int, rc, 0));
            cr_assert(d.mallocs == m && d.frees == m && d.total_alloc == m * 64 &&
                          d.heap_alloc == 0,
                      "%s, m %zu: expected %zu mallocs of 64 B and %zu frees; saw %llu, %llu, "
                      "%lld B left", p == XFREE_OWN ? "own" : "cross", m, m, m,
                      (unsigned long long)d.mallocs, (unsigned long long)d.frees,
                      (long long)d.heap_alloc);
            cr_assert(eq(u64, sum, want), "m %zu: every block read once", m);
        }
    }
    cr_assert(xfree_traffic(0, 64, XFREE_CROSS, NULL) == -1 && errno == EINVAL);
}

/* ---- out of memory ---- */

static int sweep_long(void *ctx)
{
    struct xfree_result r;

    (void)ctx;
    return xfree_run(10, 64, true, XFREE_LONG_LIVED, &r);
}

static int sweep_cross(void *ctx)
{
    (void)ctx;
    return xfree_traffic(20, 64, XFREE_CROSS, NULL);
}

static int sweep_own(void *ctx)
{
    (void)ctx;
    return xfree_traffic(20, 64, XFREE_OWN, NULL);
}

static int sweep_short(void *ctx)
{
    struct xfree_result r;

    (void)ctx;
    return xfree_run(10, 64, true, XFREE_SHORT_LIVED, &r);
}

Test(xfree_oom, every_allocation_failed_in_turn_is_reported_and_leaks_nothing)
{
    struct xfree_result r;

    SKIP_WITHOUT_INJECTION();
    cr_assert(eq(int, xfree_run(1, 8, true, XFREE_LONG_LIVED, &r), 0)); /* the cached stack */
    ASSERT_SWEEP_CLEAN(sweep_long, NULL);
    ASSERT_SWEEP_CLEAN(sweep_short, NULL);
    ASSERT_SWEEP_CLEAN(sweep_cross, NULL);
    ASSERT_SWEEP_CLEAN(sweep_own, NULL);
}

/* In a fresh process (every Criterion test is one) the consumer thread's own allocations
 * can fail: pthread_create then fails, and the run with it, its array freed. */
Test(xfree_oom, a_consumer_thread_that_cannot_start_fails_the_run)
{
    struct xfree_result r;
    struct countalloc_stats start;

    SKIP_WITHOUT_INJECTION();
    countalloc_measure_begin(&start);
    countalloc_fail_at(2, false); /* 1 is the array; 2 the thread's */
    cr_assert(eq(int, xfree_run(20, 64, true, XFREE_LONG_LIVED, &r), -1));
    cr_assert(eq(u64, countalloc_fail_off(), 1), "allocation 2 was made and failed");
    ASSERT_ALL_FREED_SINCE(&start, "a run whose thread could not start");
}

/* ---- the demo ---- */

Test(xfree_program, bad_arguments_get_one_line_and_exit_status_2)
{
    static const char *const bad_n[] = {"abc", "0", "-5", "1001", "1x", "--bogus",
                                        "99999999999999999999999"};
    static const char *const bad_size[] = {"20 0", "20 1048577", "20 x", "20 -1"};
    static const char *const bad_m[] = {"--cost 999", "--cost 100000001", "--cost x"};

    ASSERT_BAD_ARGUMENTS("demo/xfree", "N", bad_n);
    ASSERT_BAD_ARGUMENTS("demo/xfree", "SIZE", bad_size);
    ASSERT_BAD_ARGUMENTS("demo/xfree", "M", bad_m);
    ASSERT_BAD_ARGUMENTS("demo/xfree", "usage", ((const char *const[]){"1 2 3"}));
}

Test(xfree_program, a_run_frees_everything)
{
    cli_assert_frees_everything("demo/xfree", "3 64");
}
