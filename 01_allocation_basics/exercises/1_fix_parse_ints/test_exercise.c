/* test_exercise.c: the exercise's tests, built against exercise.c (make watch) and
 * against solution/exercise.c (make test-01). */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc_assert.h"
#include "countalloc.h"
#include "exercise.h"

Test(ints, the_numbers_come_back_in_order)
{
    static const int64_t want[] = {3, 14, 15, 92, -6, 0, 9000000000};
    struct ints n;

    cr_assert(eq(int, ints_parse("3,14,15,92,-6,0,9000000000", &n), 0));
    cr_assert(eq(sz, n.len, 7));
    for (size_t i = 0; i < 7; i++)
        cr_assert(eq(i64, n.v[i], want[i]), "number %zu", i);
    ints_free(&n);
}

Test(ints, an_empty_field_is_zero)
{
    struct ints n;

    cr_assert(eq(int, ints_parse("-1,,7,", &n), 0));
    cr_assert(eq(sz, n.len, 4));
    cr_assert(eq(i64, n.v[0], -1));
    cr_assert(eq(i64, n.v[1], 0));
    cr_assert(eq(i64, n.v[2], 7));
    cr_assert(eq(i64, n.v[3], 0));
    ints_free(&n);
}

Test(ints, an_empty_text_is_no_numbers_and_allocates_nothing)
{
    struct ints n = {(int64_t *)&n, 42};
    int rc;

    ASSERT_NO_ALLOCS(rc = ints_parse("", &n));
    cr_assert(eq(int, rc, 0));
    cr_assert(eq(sz, n.len, 0));
    ints_free(&n);
}

Test(ints, four_numbers_cost_one_allocation_of_exactly_four_int64s)
{
    struct ints n;

    ASSERT_ALLOCS(ints_parse("3,14,15,92", &n), 1, 4 * sizeof(int64_t));
    ints_free(&n);
}

Test(ints, a_thousand_numbers_still_cost_one_allocation)
{
    char text[8000];
    size_t at = 0;
    struct ints n;

    for (int i = 0; i < 1000; i++)
        at += (size_t)snprintf(text + at, sizeof text - at, i ? ",%d" : "%d", i);
    ASSERT_ALLOCS(ints_parse(text, &n), 1, 1000 * sizeof(int64_t));
    cr_assert(eq(sz, n.len, 1000));
    cr_assert(eq(i64, n.v[999], 999));
    ints_free(&n);
}

Test(ints, the_text_is_left_as_it_was)
{
    char text[] = "1,2,3";
    struct ints n;

    cr_assert(eq(int, ints_parse(text, &n), 0));
    cr_assert(eq(str, text, "1,2,3"));
    ints_free(&n);
}

static int parse_job(void *ctx)
{
    struct ints n = {(int64_t *)ctx, 42};
    int rc = ints_parse("10,20,30,40,50", &n);

    if (rc != 0)
        return n.v == ctx && n.len == 42 ? -1 : 0; /* *out must be untouched */
    ints_free(&n);
    return 0;
}

Test(ints, running_out_of_memory_is_reported_and_leaks_nothing)
{
    int sentinel;

    ASSERT_SWEEP_CLEAN(parse_job, &sentinel);
}
