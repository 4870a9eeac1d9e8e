/* test_exercise.c: each snippet of snippets.c measured with the counting allocator on a
 * pool or arena prepared as its comment says, and compared with exercise.c. */
#include <criterion/criterion.h>

#include "alloc_assert.h"
#include "countalloc.h"
#include "exercise.h"
#include "predict.h"

#define CHECK(pred, call, what, meaning) \
    PREDICT_CHECK_RC(pred, call, what, "an allocation failed", meaning)

static void new_pool(struct pool *p, size_t size, size_t cap)
{
    pool_init(p, &(struct pool_config){.size = size, .cap = cap});
}

Test(predict, three_requests_on_a_new_pool)
{
    struct pool p;

    new_pool(&p, 4096, 64);
    CHECK(cold_pool, snippet_cold_pool(&p), "3 gets and 3 puts on a new pool",
          "a new pool holds nothing: every get misses and mallocs cfg.size bytes; the puts "
          "keep the objects instead of freeing them.");
    pool_destroy(&p);
}

Test(predict, three_requests_on_a_warm_pool)
{
    struct pool p;

    new_pool(&p, 4096, 64);
    cr_assert(snippet_cold_pool(&p) == 0);
    CHECK(warm_pool, snippet_warm_pool(&p), "3 gets and 3 puts on a warm pool",
          "the objects put back are handed out again: a warm pool's request loop makes "
          "no allocation at all, Go's sync.Pool at its best.");
    pool_destroy(&p);
}

Test(predict, twice_three_requests_on_a_pool_that_keeps_two)
{
    struct pool p;

    new_pool(&p, 256, 2);
    CHECK(pool_over_cap, snippet_pool_over_cap(&p), "cap 2, twice 3 gets and 3 puts",
          "a pool keeps at most cap free objects: the third put frees its object, so the "
          "second round misses once more. Size the cap for the requests in flight.");
    pool_destroy(&p);
}

Test(predict, a_pool_of_one_byte_objects)
{
    struct pool p;

    new_pool(&p, 1, 64);
    CHECK(tiny_objects, snippet_tiny_objects(&p), "one get on a pool of 1-byte objects",
          "a free object holds the free list's link in its first word, so the pool rounds "
          "the size up to a pointer's: 8 bytes.");
    pool_destroy(&p);
}

Test(predict, ten_objects_from_a_new_arena)
{
    struct arena a;

    arena_init(&a, 0);
    CHECK(fresh_arena, snippet_fresh_arena(&a), "10 x arena_alloc(64) on a new arena",
          "an arena mallocs a whole chunk (ARENA_CHUNK bytes, its header included) and "
          "bumps a pointer through it: ten objects, one allocation.");
    arena_destroy(&a);
}

Test(predict, ten_objects_from_an_arena_after_a_reset)
{
    struct arena a;

    arena_init(&a, 0);
    cr_assert(snippet_fresh_arena(&a) == 0);
    CHECK(reset_arena, snippet_reset_arena(&a), "10 x arena_alloc(64) after arena_reset",
          "arena_reset keeps its standard chunks for the next round, so a reused arena "
          "stops calling malloc.");
    arena_destroy(&a);
}
