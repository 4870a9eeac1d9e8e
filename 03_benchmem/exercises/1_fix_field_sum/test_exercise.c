/* test_exercise.c: the exercise's tests, built against exercise.c (make watch) and
 * against solution/exercise.c (make test-03). */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <stdio.h>
#include <string.h>

#include "alloc_assert.h"
#include "countalloc.h"
#include "exercise.h"

struct want {
    const char *line;
    long long sum;
};

/* Sums worked out by hand from the contract in exercise.h. */
static const struct want cases[] = {
    {"1,2,3", 6},
    {"", 0},
    {",,,", 0},
    {"10,,20,", 30},
    {"  7, -2,+5", 10},
    {"12abc,3", 15},       /* trailing junk ignored */
    {"x,4", 4},            /* no digits: 0 */
    {"1000000000000,1", 1000000000001},
    {"-5", -5},
    {" ,\t9", 9},          /* a blank field reads as 0 */
};

Test(field_sum, gives_the_sums_the_contract_describes)
{
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        long long sum = -999;
        cr_assert(eq(int, field_sum(cases[i].line, &sum), 0), "field_sum(\"%s\") failed",
                  cases[i].line);
        cr_assert(eq(i64, sum, cases[i].sum), "field_sum(\"%s\"): expected %lld, got %lld",
                  cases[i].line, cases[i].sum, sum);
    }
}

Test(field_sum, leaves_the_line_as_it_was)
{
    const char line[] = "3,4,,5";
    char copy[sizeof line];
    long long sum;

    memcpy(copy, line, sizeof line);
    field_sum(line, &sum);
    cr_assert(memcmp(copy, line, sizeof line) == 0);
}

Test(field_sum, makes_no_allocation)
{
    long long sum = 0;

    ASSERT_NO_ALLOCS(field_sum("1,2,3,4,5,6,7,8,9,10", &sum));
    cr_assert(eq(i64, sum, 55));
}

/* The contract sets no limit on a line: a copy into a fixed buffer cuts it short. */
Test(field_sum, sums_a_long_line_whole)
{
    static char line[64 * 1024];
    size_t len = 0;
    long long sum = 0;

    for (int i = 1; i <= 10000; i++) /* "1,2,...,10000": 48,893 bytes */
        len += (size_t)snprintf(line + len, sizeof line - len, "%s%d", i > 1 ? "," : "", i);
    ASSERT_NO_ALLOCS(field_sum(line, &sum));
    cr_assert(eq(i64, sum, 50005000), "the numbers 1 to 10000 on one line of %zu bytes: "
              "expected 50005000, got %lld", len, sum);
}

static void one_call(void *arg)
{
    long long sum;

    field_sum(arg, &sum);
}

Test(field_sum, allocs_per_run_is_zero)
{
    char line[] = "17,25,  3,,42";

    cr_assert(eq(u64, countalloc_allocs_per_run(1000, one_call, line), 0),
              "the budget is 0 allocs/op: some allocation happens on every call");
}

Test(field_sum, still_works_when_memory_has_run_out)
{
    long long sum = 0;
    int rc;

    SKIP_WITHOUT_INJECTION();
    countalloc_fail_at(1, true); /* every allocation from now on fails */
    rc = field_sum("40,2", &sum);
    countalloc_fail_off();
    cr_assert(eq(int, rc, 0), "a function that allocates nothing cannot run out of memory");
    cr_assert(eq(i64, sum, 42));
}
