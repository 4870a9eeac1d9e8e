/* criterion_diff_child.c: a Criterion program whose one test fails a string comparison,
 * built beside test_criterion_diff, which runs it and reads the diff Criterion prints
 * (criterion_diff.c). Not a suite of the project's: it fails by design. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

Test(criterion_diff_child, a_string_comparison_that_fails)
{
    cr_assert(eq(str, "alpha\nbeta\ngamma\n", "alpha\nBETA\ngamma\n"));
}
