/* test_exercise.c: the store after M messages of S bytes (the packed blocks and the
 * entries, no message), one allocation and one free per message, the fields read back,
 * and a failed allocation of the packed block. Every count is worked out from M, S and
 * exercise.h. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc_assert.h"
#include "countalloc.h"
#include "exercise.h"

#define M_MAX 100

struct shape {
    size_t m, s;
};

static const struct shape shapes[] = {{M_MAX, 4096}, {37, 1000}, {3, 200}};

/* Field j of message i, as the message holds it: "msg000042-field1". */
static void field_of(size_t i, size_t j, char out[KEEP_FIELD_LEN + 1])
{
    snprintf(out, KEEP_FIELD_LEN + 1, "msg%06zu-field%zu", i % 1000000, j % 10);
}

/* Message i of s bytes, in a malloc'd buffer (as a reader hands it over): filler, and
 * its fields where exercise.h says. NULL when out of memory. */
static char *message(size_t i, size_t s)
{
    char *buf = malloc(s), f[KEEP_FIELD_LEN + 1];

    if (buf == NULL)
        return NULL;
    for (size_t p = 0; p < s; p++)
        buf[p] = (char)('a' + (i + p) % 26);
    for (size_t j = 0; j < KEEP_FIELDS; j++) {
        field_of(i, j, f);
        memcpy(buf + keep_field_offset(s, j), f, KEEP_FIELD_LEN);
    }
    return buf;
}

/* message(), in a test that has memory to spare. */
static char *must_message(size_t i, size_t s)
{
    char *msg = message(i, s);

    cr_assert(msg != NULL, "message %zu of %zu bytes: out of memory", i, s);
    return msg;
}

/* The messages of a shape, made before anything is measured. */
static void messages(char **msgs, const struct shape *sh)
{
    for (size_t i = 0; i < sh->m; i++)
        msgs[i] = must_message(i, sh->s);
}

Test(kept, after_m_messages_the_heap_holds_m_packed_blocks_and_the_store_and_no_message)
{
    for (size_t x = 0; x < sizeof shapes / sizeof shapes[0]; x++) {
        const struct shape *sh = &shapes[x];
        int64_t want = (int64_t)(sh->m * KEEP_PACKED_SIZE + sh->m * sizeof(struct kept_msg));
        struct countalloc_stats start, d;
        struct store st;
        char *msg;
        int rc = 0;

        countalloc_measure_begin(&start);
        cr_assert(store_init(&st, sh->m) == 0);
        for (size_t i = 0; i < sh->m && rc == 0; i++) {
            msg = must_message(i, sh->s);
            rc = keep_fields(&st, msg, sh->s);
        }
        cr_assert(eq(int, rc, 0), "keep_fields failed with memory to spare");
        d = countalloc_measure_end(&start);
        cr_assert(d.heap_alloc == want && d.heap_objects == (int64_t)(sh->m + 1),
                  "M = %zu messages of S = %zu bytes: expected %lld bytes in %zu blocks "
                  "live (a packed block of %d bytes per message, and the store's %zu "
                  "entries), saw %lld bytes in %lld blocks: %s",
                  sh->m, sh->s, (long long)want, sh->m + 1, KEEP_PACKED_SIZE, sh->m,
                  (long long)d.heap_alloc, (long long)d.heap_objects,
                  d.heap_alloc >= (int64_t)(sh->m * sh->s)
                      ? "every message is still allocated, kept for its fields"
                      : "the store keeps more or less than the fields");
        cr_assert(eq(i64, d.peak, want + (int64_t)sh->s),
                  "the peak should be the store and one message, the one being kept: "
                  "a message must be freed before the next one is read");
        store_free(&st);
        ASSERT_ALL_FREED_SINCE(&start, "store_free");
    }
}

Test(kept, each_message_costs_one_allocation_of_the_packed_size_and_one_free)
{
    for (size_t x = 0; x < sizeof shapes / sizeof shapes[0]; x++) {
        const struct shape *sh = &shapes[x];
        char *msgs[M_MAX];
        struct countalloc_stats d;
        struct store st;
        int rc = 0;

        messages(msgs, sh);
        cr_assert(store_init(&st, sh->m) == 0);
        ALLOC_MEASURE(for (size_t i = 0; i < sh->m && rc == 0; i++) rc =
                          keep_fields(&st, msgs[i], sh->s),
                      d);
        cr_assert(eq(int, rc, 0), "keep_fields failed with memory to spare");
        cr_assert(d.mallocs == sh->m && d.total_alloc == sh->m * KEEP_PACKED_SIZE &&
                      d.frees == sh->m,
                  "%zu messages of %zu bytes: expected %zu allocations of %d bytes (a "
                  "packed block each) and %zu frees (the messages), saw %llu allocations "
                  "of %llu bytes and %llu frees",
                  sh->m, sh->s, sh->m, KEEP_PACKED_SIZE, sh->m, (unsigned long long)d.mallocs,
                  (unsigned long long)d.total_alloc, (unsigned long long)d.frees);
        cr_assert(eq(i64, d.heap_alloc, (int64_t)(sh->m * KEEP_PACKED_SIZE) -
                                            (int64_t)(sh->m * sh->s)),
                  "the heap should go down by each message and up by its packed block");
        store_free(&st);
    }
}

Test(kept, the_fields_read_back_are_the_fields_of_the_messages_each_a_c_string)
{
    const struct shape sh = {M_MAX, 300};
    char want[KEEP_FIELD_LEN + 1];
    struct store st;
    char *msg;

    cr_assert(store_init(&st, sh.m) == 0);
    for (size_t i = 0; i < sh.m; i++) {
        msg = must_message(i, sh.s);
        cr_assert(eq(int, keep_fields(&st, msg, sh.s), 0), "message %zu", i);
    }
    cr_assert(eq(sz, st.count, sh.m), "every message should be counted in the store");
    for (size_t i = 0; i < sh.m; i++)
        for (size_t j = 0; j < KEEP_FIELDS; j++) {
            size_t len;
            const char *p = kept_field(&st, i, j, &len);

            field_of(i, j, want);
            cr_assert(len == KEEP_FIELD_LEN && memcmp(p, want, KEEP_FIELD_LEN) == 0,
                      "message %zu, field %zu: expected \"%s\" (%d bytes), saw \"%.*s\" "
                      "(%zu bytes): a field must be copied whole", i, j, want, KEEP_FIELD_LEN,
                      (int)(len < KEEP_FIELD_LEN ? len : KEEP_FIELD_LEN), p, len);
            cr_assert(eq(chr, p[KEEP_FIELD_LEN], '\0'),
                      "message %zu, field %zu: expected a '\\0' after the field's %d bytes",
                      i, j, KEEP_FIELD_LEN);
        }
    store_free(&st);
    store_free(NULL);
}

Test(kept, a_full_store_or_a_short_message_is_refused_and_the_message_stays_the_callers)
{
    struct store st;
    char *msg;
    int rc;

    cr_assert(store_init(&st, 1) == 0);
    msg = must_message(0, KEEP_FIELDS * KEEP_FIELD_LEN);
    ASSERT_NO_ALLOCS(rc = keep_fields(&st, msg, KEEP_FIELDS * KEEP_FIELD_LEN - 1));
    cr_assert(rc == -1 && st.count == 0, "a message shorter than its fields is refused");
    cr_assert(eq(int, keep_fields(&st, msg, KEEP_FIELDS * KEEP_FIELD_LEN), 0));
    msg = must_message(1, KEEP_FIELDS * KEEP_FIELD_LEN);
    ASSERT_NO_ALLOCS(rc = keep_fields(&st, msg, KEEP_FIELDS * KEEP_FIELD_LEN));
    cr_assert(rc == -1 && st.count == 1, "a full store refuses a message");
    free(msg); /* still ours */
    store_free(&st);
}

Test(kept, out_of_memory_for_the_packed_block_leaves_the_store_and_the_message_as_they_were)
{
    SKIP_WITHOUT_INJECTION();
    const size_t s = 512;
    struct countalloc_stats d;
    struct store st;
    char *msg, want[KEEP_FIELD_LEN + 1];
    size_t len;
    int rc;

    cr_assert(store_init(&st, 2) == 0);
    msg = must_message(0, s);
    cr_assert(eq(int, keep_fields(&st, msg, s), 0));
    msg = must_message(1, s);
    countalloc_fail_at(1, false);
    ALLOC_MEASURE(rc = keep_fields(&st, msg, s), d);
    countalloc_fail_at(0, false);
    cr_assert(eq(int, rc, -1), "with its packed block's allocation failing, keep_fields "
                               "should return -1, and returned %d", rc);
    cr_assert(d.mallocs == 0 && d.frees == 0 && d.heap_alloc == 0,
              "a failed call should allocate and free nothing (the message is still the "
              "caller's), saw %llu allocations and %llu frees, %lld bytes left",
              (unsigned long long)d.mallocs, (unsigned long long)d.frees,
              (long long)d.heap_alloc);
    cr_assert(eq(sz, st.count, 1), "the store should still hold one message");
    field_of(0, 2, want);
    cr_assert(memcmp(kept_field(&st, 0, 2, &len), want, KEEP_FIELD_LEN) == 0,
              "the message kept before should be unchanged");
    field_of(1, 3, want);
    cr_assert(memcmp(msg + keep_field_offset(s, 3), want, KEEP_FIELD_LEN) == 0,
              "the refused message should be intact");
    cr_assert(eq(int, keep_fields(&st, msg, s), 0), "the same message kept again succeeds");
    field_of(1, 3, want);
    cr_assert(memcmp(kept_field(&st, 1, 3, &len), want, KEEP_FIELD_LEN) == 0);
    store_free(&st);
}

/* The whole job: a store of 20, each message read and kept. On a failure the message
 * not kept is freed here, as the caller that still owns it. */
static int job(void *ctx)
{
    struct store st;
    int rc = 0;

    (void)ctx;
    if (store_init(&st, 20) != 0)
        return -1;
    while (rc == 0 && st.count < st.cap) {
        char *msg = message(st.count, 300);

        if (msg == NULL || keep_fields(&st, msg, 300) != 0) {
            free(msg);
            rc = -1;
        }
    }
    store_free(&st);
    return rc;
}

Test(kept, every_allocation_failed_in_turn_is_reported_and_leaks_nothing)
{
    ASSERT_SWEEP_CLEAN(job, NULL);
}
