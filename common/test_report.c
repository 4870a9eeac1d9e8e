/* test_report.c: the median the reports and the demos take of their rounds
 * (report_median): v sorted in place, ascending, its values kept, and
 * the median worked out here by counting, without a sort: odd n, even n, n = 1, values
 * unsorted, repeated and negative. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <stddef.h>
#include <string.h>

#include "report.h"

#define MAX_N 16

/* The k-th smallest of v[0..n) (k from 0), found by counting: the x of v with at most k
 * values below it and more than k at or below it. */
static double kth_smallest(const double *v, size_t n, size_t k)
{
    for (size_t i = 0; i < n; i++) {
        size_t below = 0, at_or_below = 0;

        for (size_t j = 0; j < n; j++) {
            below += v[j] < v[i];
            at_or_below += v[j] <= v[i];
        }
        if (below <= k && k < at_or_below)
            return v[i];
    }
    cr_fatal("no %zu-th smallest of %zu values", k, n);
}

/* How many times x is in v[0..n). */
static size_t count_of(const double *v, size_t n, double x)
{
    size_t c = 0;

    for (size_t i = 0; i < n; i++)
        c += v[i] == x;
    return c;
}

/* v after a median: ascending, and the same values as in, each as many times. */
static void assert_sorted_from(const double *v, const double *in, size_t n)
{
    for (size_t i = 1; i < n; i++)
        cr_assert(v[i - 1] <= v[i], "v[%zu] = %g before v[%zu] = %g: v must be sorted, ascending",
                  i - 1, v[i - 1], i, v[i]);
    for (size_t i = 0; i < n; i++)
        cr_assert(eq(sz, count_of(v, n, in[i]), count_of(in, n, in[i])),
                  "%g: as many times after the sort as before", in[i]);
}

/* Both medians of in[0..n), each on a copy, against the counted ones. */
static void assert_medians(const double *in, size_t n)
{
    double v[MAX_N], lower, upper;

    cr_assert(n >= 1 && n <= MAX_N);
    lower = kth_smallest(in, n, (n - 1) / 2);
    upper = kth_smallest(in, n, n / 2);

    memcpy(v, in, n * sizeof *v);
    cr_assert(eq(dbl, report_median(v, n), (lower + upper) / 2),
              "n = %zu: the middle value, or the mean of the two middle values %g and %g", n,
              lower, upper);
    assert_sorted_from(v, in, n);
}

Test(report_median, of_one_value_is_that_value)
{
    const double in[] = {-3.5};

    assert_medians(in, 1);
}

Test(report_median, of_an_odd_count_is_the_middle_value_of_the_sorted_rounds)
{
    const double in[] = {9, -2, 5, 1, 5};

    assert_medians(in, sizeof in / sizeof in[0]);
}

Test(report_median, of_an_even_count_is_the_mean_of_the_two_middle_values_or_the_upper_one)
{
    const double in[] = {8, -1, 3, 8, 0.5, 6};

    cr_assert(kth_smallest(in, 6, 2) != kth_smallest(in, 6, 3),
              "two middle values that differ, or the two definitions agree");
    assert_medians(in, sizeof in / sizeof in[0]);
}

Test(report_median, of_two_values_is_their_mean_or_the_greater)
{
    const double in[] = {7.25, -0.75};

    assert_medians(in, 2);
}

Test(report_median, of_unsorted_rounds_with_repeats_and_a_negative_value)
{
    const double in[] = {4, 4, -7.5, 12, 4, 0, 12, -7.5, 3, 4, 100, -0.25};

    assert_medians(in, sizeof in / sizeof in[0]);
    assert_medians(in, sizeof in / sizeof in[0] - 1);
}

Test(report_median, the_comparison_orders_doubles_ascending)
{
    const double a = -1.5, b = 2, c = 2;

    cr_assert(lt(int, report_cmp_double(&a, &b), 0));
    cr_assert(gt(int, report_cmp_double(&b, &a), 0));
    cr_assert(eq(int, report_cmp_double(&b, &c), 0));
}
