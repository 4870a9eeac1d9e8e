/* test_exercise.c: the splitter's results, its exact allocations, and its leaks. The
 * runner also runs these tests under memcheck, which must find no leak. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <string.h>

#include "alloc_assert.h"
#include "countalloc.h"
#include "exercise.h"

Test(leak, splitting_gives_every_field_in_order)
{
    struct fields f;

    cr_assert(eq(int, fields_split("ada,,grace", ',', &f), 0));
    cr_assert(eq(sz, f.n, 3));
    cr_assert(eq(str, f.v[0], "ada"));
    cr_assert(eq(str, f.v[1], ""));
    cr_assert(eq(str, f.v[2], "grace"));
    fields_free(&f);
}

Test(leak, splitting_makes_one_allocation_per_field_and_one_for_the_array)
{
    struct fields f;

    ASSERT_ALLOCS(fields_split("a,bb,ccc", ',', &f), 4, 3 * sizeof(char *) + 2 + 3 + 4);
    fields_free(&f);
}

Test(leak, fields_free_releases_every_block_split_made)
{
    struct countalloc_stats d;
    struct fields f;

    ALLOC_MEASURE({
        fields_split("a,bb,ccc", ',', &f);
        fields_free(&f);
    }, d);
    cr_assert(d.heap_objects == 0 && d.heap_alloc == 0,
              "split then free should leave the heap where it was; %lld blocks of %lld bytes "
              "in all are still live: fields_free forgets some of what fields_split made. "
              "memcheck's leak report names their allocation line.",
              (long long)d.heap_objects, (long long)d.heap_alloc);
}

Test(leak, fields_longest_leaves_nothing_behind)
{
    long n = 0;

    ASSERT_NO_LEAK(n = fields_longest("ada,grace,linus,barbara", ','));
    cr_assert(eq(long, n, 7));
}

static int split_job(void *ctx)
{
    struct fields f;

    (void)ctx;
    if (fields_split("one,two,three,four", ',', &f) != 0)
        return -1;
    fields_free(&f);
    return 0;
}

Test(leak, running_out_of_memory_mid_split_leaks_nothing)
{
    ASSERT_SWEEP_CLEAN(split_job, NULL);
}
