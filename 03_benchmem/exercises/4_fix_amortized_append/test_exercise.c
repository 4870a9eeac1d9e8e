/* test_exercise.c: the batch's contents, its allocations as a benchmark reports them,
 * its exact budget, and its behaviour when memory runs out. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "alloc_assert.h"
#include "countalloc.h"
#include "exercise.h"

static const char *const words[] = {"alpha", "beta", "gamma", "delta", "epsilon"};
#define NWORDS (sizeof words / sizeof words[0])

Test(batch, items_come_back_in_the_order_they_were_added)
{
    struct batch b = BATCH_INIT;

    for (size_t i = 0; i < 1000; i++)
        cr_assert(eq(int, batch_add(&b, words[i % NWORDS]), 0));
    cr_assert(eq(sz, b.len, 1000));
    for (size_t i = 0; i < 1000; i++)
        cr_assert(eq(ptr, (void *)b.items[i], (void *)words[i % NWORDS]), "item %zu", i);
    batch_free(&b);
    cr_assert(eq(sz, b.len, 0));
}

static void add_one(void *arg)
{
    batch_add(arg, "item");
}

Test(batch, a_benchmark_of_batch_add_reports_0_allocs_per_op)
{
    struct batch b = BATCH_INIT;
    uint64_t per_op = countalloc_allocs_per_run(1000, add_one, &b);

    batch_free(&b);
    cr_assert(per_op == 0,
              "testing.AllocsPerRun(1000, add) says %llu allocs/op; the budget is 0: an "
              "append that reallocs every time costs one allocation per call, forever.",
              (unsigned long long)per_op);
}

Test(batch, a_thousand_adds_fit_the_exact_budget)
{
    struct batch b = BATCH_INIT;
    int failed = 0;

    ASSERT_ALLOCS(for (int i = 0; i < 1000; i++) failed |= batch_add(&b, "item"),
                  BATCH_ALLOCS_1000, BATCH_BYTES_1000);
    cr_assert(eq(int, failed, 0));
    batch_free(&b);
}

Test(batch, a_failed_add_leaves_the_batch_as_it_was)
{
    struct batch b = BATCH_INIT;
    struct batch was;
    int rc;

    SKIP_WITHOUT_INJECTION();
    for (int i = 0; i < (int)BATCH_FIRST_CAP; i++)
        batch_add(&b, words[i % NWORDS]);
    was = b;
    countalloc_fail_at(1, false);
    rc = batch_add(&b, "one too many");
    countalloc_fail_off();
    cr_assert(eq(int, rc, -1), "an add that cannot allocate must return -1");
    cr_assert(b.items == was.items && b.len == was.len && b.cap == was.cap,
              "a failed add changed the batch");
    batch_free(&b);
}

static int fill(void *ctx)
{
    struct batch b = BATCH_INIT;
    int rc = 0;

    (void)ctx;
    for (int i = 0; i < 100 && rc == 0; i++)
        rc = batch_add(&b, "item");
    batch_free(&b);
    return rc;
}

Test(batch, running_out_of_memory_is_reported_and_leaks_nothing)
{
    ASSERT_SWEEP_CLEAN(fill, NULL);
}
