/* test_retain.c: a short view pins a big buffer (retain.h). Views keep every message's
 * buffer, copies one packed block per message; every count is worked out from m, s and
 * k; the fields are the same both ways; a failed read leaves the store as it was. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "alloc_assert.h"
#include "cli.h"
#include "cli_assert.h"
#include "countalloc.h"
#include "retain.h"

struct shape {
    size_t m, s, k;
};

static const struct shape shapes[] = {
    {1, 16, 1}, {10, 64, 4}, {100, 4096, 4}, {37, 1000, 3}, {50, 128, RETAIN_K_MAX},
};

static void init(struct retain *st, enum retain_way way, const struct shape *sh)
{
    int rc;

    ASSERT_ALLOCS(rc = retain_init(st, way, sh->m, sh->s, sh->k), 1,
                  sh->m * sizeof(struct retain_msg));
    cr_assert(eq(int, rc, 0));
}

Test(retain_views, each_message_keeps_its_whole_buffer_m_blocks_of_s_bytes)
{
    for (size_t x = 0; x < sizeof shapes / sizeof shapes[0]; x++) {
        const struct shape *sh = &shapes[x];
        struct retain st;
        struct countalloc_stats all, start, d;

        countalloc_measure_begin(&all);
        init(&st, RETAIN_VIEWS, sh);
        countalloc_measure_begin(&start);
        for (size_t i = 0; i < sh->m; i++) {
            int rc;

            ASSERT_ALLOCS(rc = retain_read(&st), 1, sh->s);
            cr_assert(eq(int, rc, 0), "read %zu", i);
        }
        d = countalloc_measure_end(&start);
        cr_assert(d.frees == 0, "m = %zu, s = %zu: views free nothing, saw %llu frees", sh->m,
                  sh->s, (unsigned long long)d.frees);
        cr_assert(d.heap_objects == (int64_t)sh->m && d.heap_alloc == (int64_t)(sh->m * sh->s),
                  "m = %zu, s = %zu, k = %zu: expected %zu blocks of %zu bytes live (every "
                  "buffer, for %zu bytes of fields each), saw %lld blocks, %lld bytes",
                  sh->m, sh->s, sh->k, sh->m, sh->s, sh->k * RETAIN_FIELD_LEN,
                  (long long)d.heap_objects, (long long)d.heap_alloc);
        cr_assert(eq(i64, d.peak, (int64_t)(sh->m * sh->s)), "the peak is all of them");
        retain_free(&st);
        ASSERT_ALL_FREED_SINCE(&all, "retain_free of the views");
    }
}

Test(retain_copies, each_message_keeps_one_packed_block_and_one_buffer_is_live_at_a_time)
{
    for (size_t x = 0; x < sizeof shapes / sizeof shapes[0]; x++) {
        const struct shape *sh = &shapes[x];
        size_t packed = sh->k * (RETAIN_FIELD_LEN + 1);
        struct retain st;
        struct countalloc_stats all, start, d;

        cr_assert(eq(sz, retain_packed_size(sh->k), packed));
        countalloc_measure_begin(&all);
        init(&st, RETAIN_COPIES, sh);
        countalloc_measure_begin(&start);
        for (size_t i = 0; i < sh->m; i++) {
            struct countalloc_stats r;
            int rc;

            ALLOC_MEASURE(rc = retain_read(&st), r);
            cr_assert(eq(int, rc, 0), "read %zu", i);
            cr_assert(r.mallocs == 2 && r.frees == 1 && r.total_alloc == sh->s + packed,
                      "read %zu: expected the buffer (%zu B) and the packed fields (%zu B), "
                      "the buffer freed: saw %llu allocations of %llu bytes, %llu frees",
                      i, sh->s, packed, (unsigned long long)r.mallocs,
                      (unsigned long long)r.total_alloc, (unsigned long long)r.frees);
            cr_assert(r.heap_alloc == (int64_t)packed && r.heap_objects == 1,
                      "read %zu: only the packed block should stay", i);
            cr_assert(eq(i64, r.peak, (int64_t)(sh->s + packed)), "read %zu: both at once", i);
        }
        d = countalloc_measure_end(&start);
        cr_assert(d.heap_objects == (int64_t)sh->m && d.heap_alloc == (int64_t)(sh->m * packed),
                  "m = %zu, k = %zu: expected %zu packed blocks of %zu bytes live, saw %lld "
                  "blocks, %lld bytes", sh->m, sh->k, sh->m, packed, (long long)d.heap_objects,
                  (long long)d.heap_alloc);
        cr_assert(eq(i64, d.peak, (int64_t)(sh->m * packed + sh->s)),
                  "the peak: every packed block and the last message's buffer");
        retain_free(&st);
        ASSERT_ALL_FREED_SINCE(&all, "retain_free of the copies");
    }
}

Test(retain_fields, both_ways_keep_the_same_bytes_views_inside_the_buffer_copies_terminated)
{
    const struct shape sh = {30, 200, 5};
    struct retain v, c;
    char want[RETAIN_FIELD_LEN + 1];

    cr_assert(retain_init(&v, RETAIN_VIEWS, sh.m, sh.s, sh.k) == 0);
    cr_assert(retain_init(&c, RETAIN_COPIES, sh.m, sh.s, sh.k) == 0);
    while (v.count < sh.m)
        cr_assert(retain_read(&v) == 0 && retain_read(&c) == 0);
    for (size_t i = 0; i < sh.m; i++)
        for (size_t j = 0; j < sh.k; j++) {
            size_t lv, lc;
            const char *pv = retain_field(&v, i, j, &lv), *pc = retain_field(&c, i, j, &lc);

            snprintf(want, sizeof want, "msg%06zu-field%zu", i, j);
            cr_assert(lv == RETAIN_FIELD_LEN && lc == RETAIN_FIELD_LEN);
            cr_assert(memcmp(pv, want, lv) == 0 && memcmp(pc, want, lc) == 0,
                      "message %zu, field %zu: expected %s both ways, saw %.16s and %.16s", i,
                      j, want, pv, pc);
            cr_assert(eq(ptr, (void *)pv, v.msgs[i].block + retain_field_offset(sh.s, sh.k, j)),
                      "a view points into its message's buffer");
            cr_assert(eq(ptr, (void *)pc, c.msgs[i].block + j * (RETAIN_FIELD_LEN + 1)),
                      "a copy sits in its message's packed block");
            cr_assert(eq(chr, pc[lc], '\0'), "a copy is a C string");
        }
    retain_free(&v);
    retain_free(&c);
    retain_free(NULL);
}

/* ---- failure ---- */

Test(retain_failure, bad_shapes_and_a_full_store_are_refused_without_allocating)
{
    struct retain st;
    static const struct shape bad[] = {
        {0, 64, 4}, {1, 64, 0}, {1, 1024, RETAIN_K_MAX + 1}, {1, 4 * RETAIN_FIELD_LEN - 1, 4},
    };

    for (size_t x = 0; x < sizeof bad / sizeof bad[0]; x++) {
        int rc;

        ASSERT_NO_ALLOCS(rc = retain_init(&st, RETAIN_VIEWS, bad[x].m, bad[x].s, bad[x].k));
        cr_assert(rc == -1 && errno == EINVAL, "m %zu, s %zu, k %zu must be EINVAL", bad[x].m,
                  bad[x].s, bad[x].k);
    }
    cr_assert(retain_init(&st, RETAIN_COPIES, 1, 64, 4) == 0);
    cr_assert(retain_read(&st) == 0);
    int rc;
    ASSERT_NO_ALLOCS(rc = retain_read(&st));
    cr_assert(rc == -1 && errno == ENOSPC && st.count == 1, "a full store refuses a read");
    retain_free(&st);
}

Test(retain_failure, a_failed_read_leaves_the_store_as_it_was)
{
    SKIP_WITHOUT_INJECTION();
    const struct shape sh = {4, 256, 3};

    for (int w = 0; w < 2; w++) {
        enum retain_way way = w == 0 ? RETAIN_VIEWS : RETAIN_COPIES;
        unsigned points = way == RETAIN_VIEWS ? 1 : 2; /* the buffer; then the packed block */
        struct retain st;
        size_t len;

        cr_assert(retain_init(&st, way, sh.m, sh.s, sh.k) == 0);
        cr_assert(retain_read(&st) == 0);
        for (unsigned at = 1; at <= points; at++) {
            struct countalloc_stats d;
            int rc;

            countalloc_fail_at(at, false);
            ALLOC_MEASURE(rc = retain_read(&st), d);
            countalloc_fail_at(0, false);
            cr_assert(rc == -1 && errno == ENOMEM, "%s, allocation %u failing: -1 and ENOMEM",
                      w == 0 ? "views" : "copies", at);
            cr_assert(d.heap_alloc == 0 && d.heap_objects == 0,
                      "%s, allocation %u failing: %lld bytes in %lld blocks leaked",
                      w == 0 ? "views" : "copies", at, (long long)d.heap_alloc,
                      (long long)d.heap_objects);
            cr_assert(eq(sz, st.count, 1), "the store still holds one message");
            cr_assert(memcmp(retain_field(&st, 0, 2, &len), "msg000000-field2", 16) == 0);
        }
        cr_assert(retain_read(&st) == 0, "the next read succeeds");
        cr_assert(memcmp(retain_field(&st, 1, 0, &len), "msg000001-field0", 16) == 0,
                  "and reads message 1, the one that failed");
        retain_free(&st);
    }
}

static int sweep_store(void *ctx)
{
    struct retain st;
    int rc = 0;

    if (retain_init(&st, *(enum retain_way *)ctx, 20, 300, 4) != 0)
        return -1;
    while (rc == 0 && st.count < st.cap)
        rc = retain_read(&st);
    retain_free(&st);
    return rc;
}

Test(retain_failure, every_allocation_of_either_way_failed_in_turn_is_reported_and_leaks_nothing)
{
    enum retain_way ways[2] = {RETAIN_VIEWS, RETAIN_COPIES};

    for (int w = 0; w < 2; w++) /* views: init and 20 buffers; copies: init and 40 */
        ASSERT_SWEEP_CLEAN(sweep_store, &ways[w]);
}

/* ---- the program ---- */

Test(retain_program, bad_arguments_get_one_line_and_exit_status_2)
{
    static const char *const bad_m[] = {"abc", "0", "-5", "100001", "1x", "--bogus",
                                        "99999999999999999999999", "1 64 3",
                                        "2000 1048576"};
    static const char *const bad_s[] = {"1 63", "1 1048577", "1 abc", "1 -1"};

    ASSERT_BAD_ARGUMENTS("demo/retain", "MESSAGES", bad_m);
    ASSERT_BAD_ARGUMENTS("demo/retain", "SIZE", bad_s);
}

Test(retain_program, a_run_frees_everything_it_took)
{
    cli_assert_frees_everything("demo/retain", "100 4096");
}
