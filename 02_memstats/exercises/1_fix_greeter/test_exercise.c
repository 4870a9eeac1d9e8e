/* test_exercise.c: the exercise's tests, built against exercise.c (make watch) and
 * against solution/exercise.c (make test-02). When the heap grows over a request loop,
 * the failure names the line responsible, from the site report (common/sites.h). */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <stdio.h>
#include <string.h>

#include "alloc_assert.h"
#include "countalloc.h"
#include "exercise.h"
#include "sites.h"

#define REQUESTS 1000

static const char *const names[] = {"ada", "grace", "linus", "ken", "barbara", "dennis"};
#define NNAMES (sizeof names / sizeof names[0])

static int serve(struct greeter *s, unsigned from, unsigned count)
{
    char reply[64];

    for (unsigned i = from; i < from + count; i++)
        if (greeter_handle(s, names[i % NNAMES], reply, sizeof reply) != 0)
            return -1;
    return 0;
}

Test(server, replies_greet_the_name_and_count_the_visitors)
{
    struct greeter *s = greeter_new();
    char reply[64];

    cr_assert(s != NULL);
    cr_assert(eq(int, greeter_handle(s, "ada", reply, sizeof reply), 0));
    cr_assert(eq(str, reply, "hello ada, visitor #1"));
    cr_assert(eq(int, greeter_handle(s, "grace", reply, sizeof reply), 0));
    cr_assert(eq(str, reply, "hello grace, visitor #2"));
    greeter_free(s);
}

Test(server, it_remembers_the_last_names_newest_first_and_no_more)
{
    struct greeter *s = greeter_new();
    char want[16];

    cr_assert(eq(ptr, (void *)greeter_recent(s, 0), NULL), "nobody greeted yet");
    serve(s, 0, 20);
    for (size_t i = 0; i < GREETER_RECENT; i++) {
        snprintf(want, sizeof want, "%s", names[(19 - i) % NNAMES]);
        cr_assert(greeter_recent(s, i) != NULL && strcmp(greeter_recent(s, i), want) == 0,
                  "recent %zu should be %s", i, want);
    }
    cr_assert(eq(ptr, (void *)greeter_recent(s, GREETER_RECENT), NULL));
    greeter_free(s);
}

Test(server, with_fewer_names_than_it_remembers_the_rest_are_null)
{
    struct greeter *s = greeter_new();

    serve(s, 0, 2); /* ada, then grace */
    cr_assert(greeter_recent(s, 0) != NULL && strcmp(greeter_recent(s, 0), "grace") == 0,
              "recent 0 should be grace");
    cr_assert(greeter_recent(s, 1) != NULL && strcmp(greeter_recent(s, 1), "ada") == 0,
              "recent 1 should be ada");
    cr_assert(eq(ptr, (void *)greeter_recent(s, 2), NULL), "only 2 names were greeted");
    greeter_free(s);
}

Test(server, long_names_are_kept_truncated)
{
    struct greeter *s = greeter_new();
    char name[100], reply[160];

    memset(name, 'x', sizeof name - 1);
    name[sizeof name - 1] = '\0';
    greeter_handle(s, name, reply, sizeof reply);
    cr_assert(eq(sz, strlen(greeter_recent(s, 0)), GREETER_NAME_MAX - 1));
    greeter_free(s);
}

Test(server, a_request_loop_leaves_heap_alloc_and_heap_objects_where_they_were)
{
    struct greeter *s = greeter_new();
    struct countalloc_stats before, after, d;
    struct sites_snapshot *snap = NULL;

    serve(s, 0, 10); /* warm-up */
    cr_assert(eq(int, sites_start(), 0));
    countalloc_read(&before);
    serve(s, 10, REQUESTS);
    countalloc_read(&after);
    d = countalloc_diff(&after, &before);
    if (d.heap_alloc != 0 || d.heap_objects != 0) {
        const struct sites_stat *top;
        cr_assert(eq(int, sites_snapshot_take(&snap), 0));
        sites_snapshot_sort(snap, SITES_BY_BYTES);
        top = &snap->stat[0];
        cr_fail("over %d requests the heap grew by %lld bytes in %lld blocks; it should "
                "come back to where it was. The site report's top line: %s:%u in %s, "
                "%lld bytes live in %lld blocks",
                REQUESTS, (long long)d.heap_alloc, (long long)d.heap_objects, top->file,
                top->line, top->func, (long long)top->bytes, (long long)top->blocks);
    }
    sites_stop();
    greeter_free(s);
}

Test(server, a_whole_session_fits_the_allocation_budget)
{
    struct countalloc_stats before, after;
    struct greeter *s;
    int rc;

    countalloc_read(&before);
    s = greeter_new();
    rc = serve(s, 0, REQUESTS);
    greeter_free(s);
    countalloc_read(&after);
    cr_assert(eq(int, rc, 0));
    cr_assert(after.mallocs - before.mallocs <= GREETER_ALLOC_BUDGET,
              "new, %d requests and free made %llu allocations; the budget is %d",
              REQUESTS, (unsigned long long)(after.mallocs - before.mallocs),
              GREETER_ALLOC_BUDGET);
}

Test(server, freeing_the_server_leaves_nothing_behind)
{
    ASSERT_NO_LEAK({
        struct greeter *s = greeter_new();
        serve(s, 0, 50);
        greeter_free(s);
    });
}

static int session(void *ctx)
{
    struct greeter *s = greeter_new();
    int rc;

    (void)ctx;
    if (s == NULL)
        return -1;
    rc = serve(s, 0, 3);
    greeter_free(s);
    return rc;
}

Test(server, running_out_of_memory_is_reported_and_leaks_nothing)
{
    ASSERT_SWEEP_CLEAN(session, NULL);
}
