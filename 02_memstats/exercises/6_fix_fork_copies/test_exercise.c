/* test_exercise.c: the exercise's tests, built against exercise.c (make watch) and
 * against solution/exercise.c (make test-02). The worker is a real fork (child.h): it
 * reads its own Private_Dirty in /proc/self/smaps_rollup, the pages it alone holds,
 * before and after it looks up every key, and sends the difference back. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "alloc_assert.h"
#include "child.h"
#include "countalloc.h"
#include "exercise.h"
#include "procfs.h"

#define N 65536 /* records: 4 MiB of them, 256 KiB of hit counters */

static uint64_t private_dirty(void)
{
    char text[4096];

    cr_assert(eq(int, procfs_read("/proc/self/smaps_rollup", text, sizeof text), 0),
              "cannot read /proc/self/smaps_rollup");
    return procfs_kib(text, "\nPrivate_Dirty:");
}

struct worker {
    struct table *t;
    uint64_t copied; /* bytes of Private_Dirty the lookups added */
    uint64_t sum;    /* of the names' first bytes: the lookups are used */
};

static int worker(void *arg)
{
    struct worker *w = arg;
    uint64_t before;

    private_dirty(); /* once first: what reading the file writes is not the lookups' */
    before = private_dirty();
    for (size_t k = 0; k < N; k++)
        w->sum += (unsigned char)table_lookup(w->t, k)[0];
    w->copied = private_dirty() - before;
    return 0;
}

Test(table, a_worker_that_looks_up_every_key_copies_the_hit_counters_not_the_records,
     NATIVE_ONLY("Valgrind writes pages of its own and serves the blocks from its arena"))
{
    SKIP_IN_SANITIZER_BUILD("ASan's allocator and its shadow memory write pages of their own");
    long page = sysconf(_SC_PAGESIZE);
    uint64_t counters = (uint64_t)N * sizeof(uint32_t);
    uint64_t budget = counters + (uint64_t)TABLE_SLACK_PAGES * (uint64_t)page;
    uint64_t records = (uint64_t)N * TABLE_RECORD;
    struct worker w = {.t = table_new(N)};

    cr_assert(w.t != NULL, "table_new(%d) returned NULL", N);
    cr_assert(eq(int, child_run(worker, &w, sizeof w), 0), "the forked worker failed");
    cr_assert(w.sum == (uint64_t)N * 'r', "every name should start with 'r' (\"record K\")");
    cr_assert(w.copied <= budget,
              "a worker that looked up each of %d keys once copied %llu KiB into its own "
              "pages; the budget is the hit counters (%llu KiB) and %d pages more (%llu KiB "
              "in all). The records are %llu KiB: a lookup that writes a record copies its "
              "page. Keep what lookups write apart from what they only read.",
              N, (unsigned long long)(w.copied / 1024), (unsigned long long)(counters / 1024),
              TABLE_SLACK_PAGES, (unsigned long long)(budget / 1024),
              (unsigned long long)(records / 1024));
    for (size_t k = 0; k < N; k += N / 8)
        cr_assert(eq(u32, table_hits(w.t, k), 0),
                  "the worker's lookups are its own: the parent's count for key %zu", k);
    table_free(w.t);
}

Test(table, lookups_return_the_name_and_count_each_key)
{
    struct table *t = table_new(100);

    cr_assert(t != NULL);
    for (size_t k = 0; k < 100; k++)
        for (size_t i = 0; i < k % 4; i++) {
            char want[32];

            snprintf(want, sizeof want, "record %zu", k);
            cr_assert(eq(str, (char *)table_lookup(t, k), want), "the name of key %zu", k);
        }
    for (size_t k = 0; k < 100; k++)
        cr_assert(eq(u32, table_hits(t, k), (uint32_t)(k % 4)), "the hits of key %zu", k);
    ASSERT_NO_ALLOCS(table_lookup(t, 7));
    table_free(t);
}

Test(table, table_new_makes_three_allocations_and_table_free_gives_all_back)
{
    struct table *t = NULL;
    struct countalloc_stats d;

    ALLOC_MEASURE(t = table_new(1000), d);
    cr_assert(t != NULL);
    cr_assert(eq(u64, d.mallocs, TABLE_ALLOCS),
              "table_new: expected %d allocations (the table, its records, its hit "
              "counters), saw %llu",
              TABLE_ALLOCS, (unsigned long long)d.mallocs);
    table_free(t);
    ASSERT_NO_LEAK(table_free(table_new(1000)));
    ASSERT_NO_ALLOCS(table_free(NULL));
    cr_assert(table_new(0) == NULL, "a table of 0 records is refused");
}

static int job_new(void *ctx)
{
    struct table *t = table_new(1000);

    (void)ctx;
    if (t == NULL)
        return -1;
    table_free(t);
    return 0;
}

Test(table, running_out_of_memory_returns_null_and_leaks_nothing)
{
    ASSERT_SWEEP_CLEAN(job_new, NULL);
}
