/* test_exercise.c: the parser's counts, its allocations on a new and on a warm arena, the
 * reset it leaves behind, and its behaviour when memory runs out. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "alloc_assert.h"
#include "countalloc.h"
#include "exercise.h"

static const char request[] = "user=ada;user_agent=curl;;lang=en;user_id=42;flag;x=1";

Test(arena, keys_with_the_prefix_are_counted)
{
    struct arena a;

    arena_init(&a, 0);
    cr_assert(eq(int, count_keys(&a, request, "user"), 3));
    cr_assert(eq(int, count_keys(&a, request, "flag"), 1));
    cr_assert(eq(int, count_keys(&a, request, ""), 6), "every key starts with \"\"");
    cr_assert(eq(int, count_keys(&a, "", "user"), 0));
    arena_destroy(&a);
}

Test(arena, the_first_request_on_a_new_arena_is_one_chunk)
{
    struct arena a;
    int n = 0;

    arena_init(&a, 0);
    ASSERT_ALLOCS(n = count_keys(&a, request, "user"), 1, ARENA_CHUNK);
    cr_assert(eq(int, n, 3));
    arena_destroy(&a);
}

Test(arena, later_requests_allocate_nothing)
{
    struct arena a;
    int n = 0;

    arena_init(&a, 0);
    count_keys(&a, request, "user");
    ASSERT_NO_ALLOCS(for (int i = 0; i < 100; i++) n += count_keys(&a, request, "user"));
    cr_assert(eq(int, n, 300));
    arena_destroy(&a);
}

/* 1,000 requests fill many chunks unless each call gives its objects back. */
Test(arena, every_request_leaves_the_arena_reset)
{
    struct arena a;
    int n = 0;

    arena_init(&a, 0);
    count_keys(&a, request, "user");
    cr_assert(a.chunks == NULL && a.next == NULL,
              "count_keys returned with its objects still in the arena: call arena_reset "
              "before every return");
    ASSERT_NO_ALLOCS(for (int i = 0; i < 1000; i++) n += count_keys(&a, request, "user"));
    cr_assert(eq(int, n, 3000));
    arena_destroy(&a);
}

Test(arena, destroying_the_arena_leaves_nothing_behind)
{
    ASSERT_NO_LEAK({
        struct arena a;
        arena_init(&a, 0);
        for (int i = 0; i < 10; i++)
            count_keys(&a, request, "lang");
        arena_destroy(&a);
    });
}

static int job(void *ctx)
{
    struct arena a;
    int rc;

    (void)ctx;
    arena_init(&a, 0);
    rc = count_keys(&a, request, "user") == 3 ? 0 : -1;
    arena_destroy(&a);
    return rc;
}

Test(arena, running_out_of_memory_is_reported_and_leaks_nothing)
{
    ASSERT_SWEEP_CLEAN(job, NULL);
}
