/* test_exercise.c: each snippet of snippets.c measured with the counting allocator and
 * compared with the prediction in exercise.c. */
#include <criterion/criterion.h>

#include "alloc_assert.h"
#include "countalloc.h"
#include "exercise.h"
#include "predict.h"

#define CHECK(pred, call, what, meaning) \
    PREDICT_CHECK_RC(pred, call, what, "the snippet did not store its ten numbers", meaning)

Test(predict, growing_by_one_element_per_append)
{
    CHECK(grow_by_one, snippet_grow_by_one(), "ten appends, realloc by one each time",
          "every append is a realloc, of 1, 2, ... 10 elements: n allocations and "
          "8 * n(n+1)/2 bytes, quadratic in n (for a million: a million allocations).");
}

Test(predict, doubling_from_one_element)
{
    CHECK(grow_doubling_from_one, snippet_grow_doubling_from_one(),
          "ten appends, doubling from 1",
          "doubling reallocs only when full: capacities 1, 2, 4, 8, 16, so about log2(n) + 1 "
          "allocations, and the bytes sum to less than twice the last capacity.");
}

Test(predict, doubling_from_four_elements)
{
    CHECK(grow_doubling_from_four, snippet_grow_doubling_from_four(),
          "ten appends, doubling from 4",
          "a larger first buffer skips the smallest steps: capacities 4, 8, 16.");
}

Test(predict, sizing_the_array_up_front)
{
    CHECK(presized, snippet_presized(), "malloc(10 * 8) up front",
          "knowing n before the first append makes it one allocation of exactly n * 8 "
          "bytes (Go's make([]T, 0, n)).");
}

Test(predict, boxing_every_number)
{
    CHECK(boxed, snippet_boxed(), "ten boxed numbers",
          "boxing costs one block per element plus the array of pointers to them: "
          "n + 1 allocations, and twice the bytes of the plain array.");
}

Test(predict, records_that_own_their_names)
{
    CHECK(records_with_names, snippet_records_with_names(), "three records with names",
          "a struct that points to a string is two blocks: the struct (16 bytes) and the "
          "strdup'd name (its length + 1).");
}
