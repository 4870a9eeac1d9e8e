/* test_exercise.c: the table's results, its exact allocations, and its leaks on every
 * path, error paths included (the OOM sweep). The runner also runs these tests under
 * memcheck, which must find no leak. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <stddef.h>

#include "alloc_assert.h"
#include "countalloc.h"
#include "exercise.h"

static const char text[] = "host=example.org\nport=8080\n# no equals sign: skipped\n"
                           "user=ada\nport=8443\n";

Test(leak, loading_keeps_the_last_value_of_every_key)
{
    struct config *c = config_new();

    cr_assert(c != NULL);
    cr_assert(eq(int, config_load(c, text), 0));
    cr_assert(eq(str, (char *)config_get(c, "host"), "example.org"));
    cr_assert(eq(str, (char *)config_get(c, "port"), "8443"));
    cr_assert(eq(str, (char *)config_get(c, "user"), "ada"));
    cr_assert(eq(ptr, (void *)config_get(c, "nope"), NULL));
    config_free(c);
}

Test(leak, a_new_key_costs_exactly_three_allocations)
{
    struct config *c = config_new();

    ASSERT_ALLOCS(config_set(c, "user", "ada"), 3, sizeof(void *) * 3 + 5 + 4);
    config_free(c);
}

Test(leak, replacing_a_value_frees_the_old_one)
{
    struct config *c = config_new();
    struct countalloc_stats d;

    config_set(c, "port", "8080");
    ALLOC_MEASURE(config_set(c, "port", "8443"), d);
    cr_assert(d.mallocs == 1 && d.heap_objects == 0,
              "replacing a value should make 1 allocation and leave as many blocks live as "
              "before; it made %llu and left %lld more block%s live: the old value is "
              "never freed, so a long-running program that updates keys grows forever.",
              (unsigned long long)d.mallocs, (long long)d.heap_objects,
              d.heap_objects == 1 ? "" : "s");
    config_free(c);
}

Test(leak, a_whole_session_leaves_nothing_behind)
{
    ASSERT_NO_LEAK({
        struct config *c = config_new();
        config_load(c, text);
        config_free(c);
    });
}

static int session(void *ctx)
{
    struct config *c = config_new();
    int rc;

    (void)ctx;
    if (c == NULL)
        return -1;
    rc = config_load(c, "a=1\nb=2\n");
    config_free(c);
    return rc;
}

Test(leak, running_out_of_memory_anywhere_leaks_nothing)
{
    ASSERT_SWEEP_CLEAN(session, NULL);
}
