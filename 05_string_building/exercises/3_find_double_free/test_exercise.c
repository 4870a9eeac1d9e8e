/* test_exercise.c: the message's body, its exact allocations, and every order of calls
 * freeing each block once. The runner also runs these tests under memcheck, which must
 * report nothing. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "alloc_assert.h"
#include "countalloc.h"
#include "exercise.h"

static const char *const lines[] = {"Dear ada,", "the build is green.", "-- ci"};

Test(message, the_body_is_the_lines_joined_by_newlines)
{
    struct message m;

    message_init(&m);
    cr_assert(eq(str, (char *)message_body(&m), ""));
    cr_assert(eq(int, message_set_body(&m, lines, 3), 0));
    cr_assert(eq(str, (char *)message_body(&m), "Dear ada,\nthe build is green.\n-- ci"));
    cr_assert(eq(sz, m.len, 35));
    message_free(&m);
}

Test(message, setting_a_body_is_one_allocation_of_its_length_plus_one)
{
    struct message m;

    message_init(&m);
    ASSERT_ALLOCS(message_set_body(&m, lines, 3), 1, 9 + 1 + 19 + 1 + 5 + 1);
    message_free(&m);
}

Test(message, clearing_then_freeing_frees_the_body_once)
{
    struct message m;
    struct countalloc_stats d;

    message_init(&m);
    message_set_body(&m, lines, 2);
    ALLOC_MEASURE({
        message_clear(&m);
        message_free(&m);
    }, d);
    cr_assert(d.frees == 1, "clear then free should free the one body once; %llu frees",
              (unsigned long long)d.frees);
}

Test(message, a_cleared_message_takes_a_new_body)
{
    struct message m;

    message_init(&m);
    message_set_body(&m, lines, 3);
    message_clear(&m);
    cr_assert(eq(str, (char *)message_body(&m), ""), "a cleared message has no body");
    cr_assert(eq(int, message_set_body(&m, lines + 2, 1), 0));
    cr_assert(eq(str, (char *)message_body(&m), "-- ci"));
    message_free(&m);
}

Test(message, a_whole_life_leaves_nothing_behind)
{
    ASSERT_NO_LEAK({
        struct message m;
        message_init(&m);
        message_set_body(&m, lines, 1);
        message_set_body(&m, lines, 3);
        message_clear(&m);
        message_clear(&m);
        message_free(&m);
        message_free(&m);
    });
}

static int life(void *ctx)
{
    struct message m;
    int rc;

    (void)ctx;
    message_init(&m);
    rc = message_set_body(&m, lines, 3);
    if (rc == 0)
        rc = message_set_body(&m, lines, 2);
    message_free(&m);
    return rc;
}

Test(message, running_out_of_memory_is_reported_and_leaks_nothing)
{
    ASSERT_SWEEP_CLEAN(life, NULL);
}
