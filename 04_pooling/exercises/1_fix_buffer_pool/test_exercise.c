/* test_exercise.c: the exercise's tests, built against exercise.c (make watch) and
 * against solution/exercise.c (make test-04). */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <stdint.h>
#include <string.h>

#include "alloc_assert.h"
#include "countalloc.h"
#include "exercise.h"

#define INFLIGHT 4

/* One round of a request loop: INFLIGHT requests, each writing into its own buffer. */
static int serve_round(struct bufpool *p, unsigned round)
{
    char *buf[INFLIGHT];
    int got, rc = 0;

    for (got = 0; got < INFLIGHT; got++) {
        buf[got] = bufpool_get(p);
        if (buf[got] == NULL) {
            rc = -1;
            break;
        }
        memset(buf[got], (int)(round + (unsigned)got), p->size);
    }
    while (got > 0)
        bufpool_put(p, buf[--got]);
    return rc;
}

Test(bufpool, a_request_loop_allocates_nothing_after_warm_up)
{
    struct bufpool p;
    int failed = 0;

    bufpool_init(&p, 4096, INFLIGHT);
    serve_round(&p, 0); /* warm-up: INFLIGHT misses */
    ASSERT_NO_ALLOCS(for (unsigned r = 1; r <= 1000; r++) failed |= serve_round(&p, r));
    cr_assert(eq(int, failed, 0));
    bufpool_destroy(&p);
}

Test(bufpool, a_put_buffer_is_the_next_one_handed_out)
{
    struct bufpool p;
    void *a, *b;

    bufpool_init(&p, 64, 2);
    a = bufpool_get(&p);
    bufpool_put(&p, a);
    ASSERT_NO_ALLOCS(b = bufpool_get(&p));
    cr_assert(eq(ptr, b, a), "bufpool_get should reuse the buffer just put back");
    bufpool_put(&p, b);
    bufpool_destroy(&p);
}

Test(bufpool, it_keeps_no_more_than_cap_buffers)
{
    struct bufpool p;
    void *bufs[3];
    struct countalloc_stats before, after;

    bufpool_init(&p, 64, 2);
    for (int i = 0; i < 3; i++)
        bufs[i] = bufpool_get(&p);
    countalloc_read(&before);
    for (int i = 0; i < 3; i++)
        bufpool_put(&p, bufs[i]);
    countalloc_read(&after);
    cr_assert(eq(sz, p.nfree, 2), "with cap 2 the pool should keep 2 buffers, it keeps %zu",
              p.nfree);
    cr_assert(eq(u64, after.frees - before.frees, 1),
              "the third put, over the cap, should free its buffer");
    bufpool_destroy(&p);
}

Test(bufpool, tiny_buffers_still_have_room_for_the_link)
{
    struct bufpool p;
    void *buf;

    bufpool_init(&p, 1, 2);
    ASSERT_ALLOCS(buf = bufpool_get(&p), 1, sizeof(void *));
    bufpool_put(&p, buf);
    bufpool_destroy(&p);
}

Test(bufpool, destroy_leaves_nothing_behind)
{
    ASSERT_NO_LEAK({
        struct bufpool p;
        bufpool_init(&p, 4096, INFLIGHT);
        for (unsigned r = 0; r < 10; r++)
            serve_round(&p, r);
        bufpool_destroy(&p);
    });
}

static int pool_job(void *ctx)
{
    struct bufpool p;
    int rc = 0;

    (void)ctx;
    bufpool_init(&p, 256, INFLIGHT);
    for (unsigned r = 0; r < 3 && rc == 0; r++)
        rc = serve_round(&p, r);
    bufpool_destroy(&p);
    return rc;
}

Test(bufpool, running_out_of_memory_is_reported_and_leaks_nothing)
{
    ASSERT_SWEEP_CLEAN(pool_job, NULL);
}
