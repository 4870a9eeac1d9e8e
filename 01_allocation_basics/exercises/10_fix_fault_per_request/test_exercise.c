/* test_exercise.c: the exercise's tests, built against exercise.c (make watch) and against
 * solution/exercise.c (make test-01). A request that fits the scratch the handler holds
 * makes no allocation, in every build; natively, on glibc's malloc, it also faults no page
 * (the page-fault test: under Valgrind and in the ASan build another allocator serves the
 * blocks, and pages of the tool's own fault too). The sums are checked against the
 * checksum worked out here from the seed, without any buffer; the failures wherever an
 * allocation can be made to fail (not in the ASan build). glibc 2.36 and 2.41 alike: a
 * block of 64 MiB is always mmap'd, and freeing it unmaps its pages. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <errno.h>
#include <stdint.h>
#include <unistd.h>

#include "alloc_assert.h"
#include "countalloc.h"
#include "exercise.h"
#include "procfs.h"

#define KIB ((size_t)1 << 10)
#define MIB ((size_t)1 << 20)

static size_t page(void)
{
    return (size_t)sysconf(_SC_PAGESIZE);
}

/* The checksum of rq worked out from its seed alone (exercise.h's handler_fill). */
static uint64_t expected_sum(const struct request *rq)
{
    uint64_t sum = 0;

    if (rq->used == 0)
        return 0;
    for (size_t i = 0; i < rq->used; i += page())
        sum += (i / page() + 1) * handler_byte(rq->seed, i);
    if ((rq->used - 1) % page() != 0)
        sum += ((rq->used - 1) / page() + 1) * handler_byte(rq->seed, rq->used - 1);
    return sum;
}

/* Serve rq and check its sum. */
static void serve(struct handler *h, const struct request *rq, struct countalloc_stats *d)
{
    uint64_t sum = 0;
    int rc = -1;

    ALLOC_MEASURE(rc = handler_serve(h, rq, &sum), *d);
    cr_assert(eq(int, rc, 0), "a request of %zu bytes (%zu used) failed: out of memory?", rq->need,
              rq->used);
    cr_assert(eq(u64, sum, expected_sum(rq)), "a request of %zu bytes, %zu used, seed %llu: "
              "expected the sum %llu, saw %llu", rq->need, rq->used, (unsigned long long)rq->seed,
              (unsigned long long)expected_sum(rq), (unsigned long long)sum);
}

/* ---- the pages (glibc's malloc only) ---- */

/* Three requests for 64 MiB of scratch, 8 MiB of it used: the faults of each. The first
 * maps what it writes, whoever serves it; the ones after it find their pages mapped when
 * the handler kept the scratch. The starter's block, past glibc's mmap threshold (32 MiB
 * at most), is mmap'd each time and unmapped by free: a fault for every page written. */
Test(handler, a_steady_request_for_64_mib_of_scratch_faults_no_page, GLIBC_MALLOC_ONLY)
{
    struct request rq = {.need = 64 * MIB, .used = 8 * MIB};
    struct handler h = {NULL, 0};
    struct countalloc_stats d;
    uint64_t faults[3], pages = rq.used / page();
    int was = procfs_thp_off();

    for (int i = 0; i < 3; i++) {
        rq.seed = (uint64_t)i + 1;
        faults[i] = procfs_minor_faults();
        serve(&h, &rq, &d);
        faults[i] = procfs_minor_faults() - faults[i];
    }
    handler_free(&h);
    procfs_thp_restore(was);
    cr_assert(ge(u64, faults[0], pages), "the first request writes %llu fresh pages: expected a "
              "fault each, saw %llu: the faults here are not base pages, and the test cannot "
              "tell", (unsigned long long)pages, (unsigned long long)faults[0]);
    for (int i = 1; i < 3; i++)
        cr_assert(eq(u64, faults[i], 0),
                  "request %d for 64 MiB of scratch, 8 MiB of it written: expected 0 page faults, "
                  "saw %llu (%llu pages written). A block this big is mmap'd, and free unmaps it: "
                  "malloc'd again, its pages are new, a fault each. Kept in the handler, they stay "
                  "mapped.", i + 1, (unsigned long long)faults[i], (unsigned long long)pages);
}

/* ---- the counts and the sums, everywhere ---- */

Test(handler, after_the_first_request_a_request_that_fits_allocates_nothing)
{
    static const struct request rqs[] = {
        {256 * KIB, 256 * KIB, 1}, {100 * KIB, 100 * KIB, 2}, {256 * KIB, 10 * KIB, 3}, {1, 1, 4},
        {256 * KIB, 256 * KIB, 5},
    };
    struct handler h = {NULL, 0};
    struct countalloc_stats d;

    for (size_t k = 0; k < sizeof rqs / sizeof rqs[0]; k++) {
        uint64_t allocs = k == 0, bytes = k == 0 ? rqs[0].need : 0;

        serve(&h, &rqs[k], &d);
        cr_assert(d.mallocs == allocs && d.total_alloc == bytes && d.frees == 0,
                  "request %zu for %zu bytes (the first was for %zu): expected %llu allocation(s) "
                  "of %llu bytes and no free, saw %llu of %llu bytes and %llu free(s)%s", k + 1,
                  rqs[k].need, rqs[0].need, (unsigned long long)allocs, (unsigned long long)bytes,
                  (unsigned long long)d.mallocs, (unsigned long long)d.total_alloc,
                  (unsigned long long)d.frees,
                  k == 0 ? "" : ": the scratch the first request took fits; keep it in the handler");
    }
    ASSERT_ALLOC_COUNT(handler_free(&h), 0);
    cr_assert(h.scratch == NULL && h.cap == 0, "handler_free: expected the handler left empty");
}

Test(handler, a_request_that_needs_more_takes_one_block_of_its_need_and_frees_the_old)
{
    static const struct request rqs[] = {{1000, 1000, 1}, {5000, 4000, 2}, {3000, 3000, 3}};
    struct handler h = {NULL, 0};
    struct countalloc_stats d;
    size_t cap = 0;

    for (size_t k = 0; k < sizeof rqs / sizeof rqs[0]; k++) {
        bool grows = rqs[k].need > cap;
        uint64_t allocs = grows, frees = grows && cap > 0, bytes = grows ? rqs[k].need : 0;
        int64_t rise = grows ? (int64_t)(rqs[k].need - cap) : 0;

        serve(&h, &rqs[k], &d);
        cr_assert(d.mallocs == allocs && d.total_alloc == bytes && d.frees == frees &&
                      d.heap_alloc == rise,
                  "request %zu for %zu bytes, the handler holding %zu: expected %llu allocation(s) "
                  "of %llu bytes, %llu free(s), the heap %lld bytes higher; saw %llu of %llu, %llu "
                  "and %lld", k + 1, rqs[k].need, cap, (unsigned long long)allocs,
                  (unsigned long long)bytes, (unsigned long long)frees, (long long)rise,
                  (unsigned long long)d.mallocs, (unsigned long long)d.total_alloc,
                  (unsigned long long)d.frees, (long long)d.heap_alloc);
        cap = grows ? rqs[k].need : cap;
    }
    cr_assert(eq(sz, h.cap, cap), "expected cap %zu, the largest need, saw %zu", cap, h.cap);
    handler_free(&h);
}

Test(handler, every_request_returns_the_sum_of_what_it_wrote)
{
    static const struct request rqs[] = {
        {1, 1, 7}, {4096, 4096, 8}, {5000, 4097, 9}, {300 * KIB, 123457, 10}, {64, 0, 11}, {64, 63, 12},
    };
    struct handler h = {NULL, 0};
    struct countalloc_stats d;

    for (size_t k = 0; k < sizeof rqs / sizeof rqs[0]; k++)
        serve(&h, &rqs[k], &d);
    handler_free(&h);
}

Test(handler, a_failed_growth_returns_enomem_and_leaves_the_handler_as_it_was)
{
    struct request small = {1000, 1000, 1}, big = {5000, 5000, 2}, fits = {500, 500, 3};
    struct handler h = {NULL, 0};
    struct countalloc_stats d;
    unsigned char *scratch;
    uint64_t sum = 0, failed;
    int rc = 0;

    SKIP_WITHOUT_INJECTION();
    serve(&h, &small, &d);
    scratch = h.scratch;
    countalloc_fail_at(1, false);
    errno = 0;
    ALLOC_MEASURE(rc = handler_serve(&h, &big, &sum), d);
    failed = countalloc_fail_off();
    cr_assert(eq(u64, failed, 1), "growing to %zu bytes: expected its allocation to be the one "
              "made to fail, saw %llu failed", big.need, (unsigned long long)failed);
    cr_assert(eq(int, rc, -1), "its allocation failed: expected -1, saw %d", rc);
    cr_assert(eq(int, errno, ENOMEM), "expected errno ENOMEM, saw %d", errno);
    cr_assert(h.scratch == scratch && h.cap == (scratch == NULL ? 0 : small.need),
              "a failed growth: expected the handler as it was (scratch %p, cap %zu), saw %p and "
              "%zu", (void *)scratch, scratch == NULL ? (size_t)0 : small.need, (void *)h.scratch,
              h.cap);
    cr_assert(d.frees == 0 && d.heap_alloc == 0, "a failed growth: expected nothing freed and "
              "nothing left allocated, saw %llu frees and %lld bytes", (unsigned long long)d.frees,
              (long long)d.heap_alloc);
    serve(&h, &fits, &d); /* the old scratch still serves a request that fits */
    cr_assert(eq(u64, d.mallocs, 0), "after the failure, a request of %zu bytes fits the %zu the "
              "handler holds: expected no allocation, saw %llu", fits.need, small.need,
              (unsigned long long)d.mallocs);
    handler_free(&h);
}

/* A handler, three requests, freed: 0 when every request was served; -1 when one reported
 * a failure (-1, errno ENOMEM) and left the handler whole, for handler_free to give back. */
static int job_handler(void *ctx)
{
    static const struct request rqs[] = {{100, 100, 1}, {8192, 5000, 2}, {50, 50, 3}};
    struct handler h = {NULL, 0};
    int rc = 0;

    (void)ctx;
    for (size_t k = 0; k < sizeof rqs / sizeof rqs[0]; k++) {
        struct handler before = h;
        uint64_t sum;

        if (handler_serve(&h, &rqs[k], &sum) != 0) {
            rc = errno == ENOMEM && h.scratch == before.scratch && h.cap == before.cap ? -1 : 0;
            break;
        }
        if (sum != expected_sum(&rqs[k])) {
            rc = 1;
            break;
        }
    }
    handler_free(&h);
    return rc;
}

Test(handler, every_failed_allocation_is_reported_and_leaks_nothing)
{
    ASSERT_SWEEP_CLEAN(job_handler, NULL);
}
