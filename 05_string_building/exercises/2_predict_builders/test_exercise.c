/* test_exercise.c: each snippet of snippets.c measured with the counting allocator and
 * compared with the prediction in exercise.c. */
#include <criterion/criterion.h>

#include "alloc_assert.h"
#include "countalloc.h"
#include "exercise.h"
#include "predict.h"

#define CHECK(pred, call, what, meaning) \
    PREDICT_CHECK_RC(pred, call, what, "the string came out wrong", meaning)

Test(predict, ten_appends_into_a_new_builder)
{
    CHECK(sb_ten_appends, snippet_sb_ten_appends(), "10 x sb_puts of 10 bytes",
          "the first append allocates SB_MIN_CAP (64) bytes, enough for 6 parts and the "
          "terminator; the 7th doubles it to 128, which holds all 100 bytes.");
}

Test(predict, ten_appends_after_reserving_the_total)
{
    CHECK(sb_reserved, snippet_sb_reserved(), "sb_reserve(100), then 10 x sb_puts",
          "reserving the total up front is one allocation of exactly 100 + 1 bytes, the "
          "way Go's b.Grow(n) before a loop is.");
}

Test(predict, ten_steps_of_s_equals_s_plus_part)
{
    CHECK(naive_concat, snippet_naive_concat(), "s = s + part, 10 times",
          "every step allocates the whole new string: n allocations, and bytes that grow "
          "with the square of n (for 1,000 parts: 1,000 allocations and 5 MB).");
}

Test(predict, ten_appends_into_a_reset_builder)
{
    struct sb b = SB_INIT;

    cr_assert(snippet_sb_reused(&b) == 0);
    sb_reset(&b);
    CHECK(sb_reused, snippet_sb_reused(&b), "10 x sb_puts after sb_reset",
          "sb_reset empties the builder but keeps its buffer, so the same work again "
          "allocates nothing (Go's strings.Builder.Reset drops it; bytes.Buffer keeps it).");
    sb_free(&b);
}

Test(predict, one_printf_into_a_new_builder)
{
    CHECK(sb_printf_once, snippet_sb_printf_once(), "sb_printf(&b, \"%d-%s\", 42, \"answer\")",
          "sb_printf measures first, then grows once by the policy: the 10 bytes needed "
          "get a first buffer of SB_MIN_CAP.");
}

Test(predict, copying_the_result_out_then_freeing_the_builder)
{
    CHECK(copy_then_free, snippet_copy_then_free(), "5 x sb_puts(\"abc\"), strdup, sb_free",
          "copying the result out is one more allocation of its length + 1, and a copy "
          "of every byte.");
}

Test(predict, detaching_the_result)
{
    CHECK(detach, snippet_detach(), "5 x sb_puts(\"abc\"), sb_detach",
          "sb_detach hands the builder's own buffer to the caller: no copy, no allocation "
          "(what Go's strings.Builder.String does without copying).");
}
