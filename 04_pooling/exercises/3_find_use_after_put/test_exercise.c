/* test_exercise.c: the handler's replies, its allocations once the pool is warm, and its
 * cleanup. The runner also runs these tests under memcheck, which must report nothing. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "alloc_assert.h"
#include "countalloc.h"
#include "exercise.h"

Test(server, a_reply_names_the_method_the_path_and_the_handler)
{
    struct server s;
    char reply[128];

    server_init(&s);
    cr_assert(eq(int, server_handle(&s, "GET /index.html", reply, sizeof reply), 0));
    cr_assert(eq(str, reply, "GET /index.html: home"),
              "expected \"GET /index.html: home\", got \"%s\": part of the request was "
              "changed before the reply was written", reply);
    server_destroy(&s);
}

Test(server, every_request_of_a_loop_gets_its_own_reply)
{
    static const char *const req[] = {"GET /users/7", "POST /", "HEAD /nope"};
    static const char *const want[] = {"GET /users/7: users", "POST /: home",
                                       "HEAD /nope: not_found"};
    struct server s;
    char reply[128];

    server_init(&s);
    for (int round = 0; round < 3; round++)
        for (int i = 0; i < 3; i++) {
            cr_assert(eq(int, server_handle(&s, req[i], reply, sizeof reply), 0));
            cr_assert(eq(str, reply, (char *)want[i]), "round %d, request \"%s\"", round,
                      req[i]);
        }
    cr_assert(eq(ulong, s.served, 9));
    server_destroy(&s);
}

Test(server, a_warm_server_allocates_nothing_per_request)
{
    struct server s;
    char reply[128];
    int failed = 0;

    server_init(&s);
    server_handle(&s, "GET /", reply, sizeof reply);
    ASSERT_NO_ALLOCS(for (int i = 0; i < 100; i++)
                         failed |= server_handle(&s, "GET /users/1", reply, sizeof reply));
    cr_assert(eq(int, failed, 0));
    server_destroy(&s);
}

Test(server, destroying_the_server_leaves_nothing_behind)
{
    ASSERT_NO_LEAK({
        struct server s;
        char reply[64];
        server_init(&s);
        server_handle(&s, "GET /", reply, sizeof reply);
        server_destroy(&s);
    });
}

Test(server, a_malformed_request_is_refused)
{
    struct server s;
    char reply[64];

    server_init(&s);
    cr_assert(eq(int, server_handle(&s, "GARBAGE", reply, sizeof reply), -1));
    server_destroy(&s);
}
