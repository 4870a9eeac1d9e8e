/* test_exercise.c: an order handled with debug off costs no allocation and no call of
 * describe; with debug on, its line is written and costs describe's block alone, freed; a
 * failed describe or write is returned with the totals as they were; and the OOM sweep.
 * Every count is worked out from the orders and exercise.h's budget. The sink is a memfd
 * behind a FILE with a buffer of the test's (setvbuf), so the stream allocates nothing
 * after fdopen (test_logline.c's
 * the_first_line_to_a_stream_allocates_its_buffer_unless_the_caller_gives_one). */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <errno.h>
#include <gnu/libc-version.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "alloc_assert.h"
#include "countalloc.h"
#include "exercise.h"

static const struct logline_obj orders[] = {
    {4711, "alice", 3}, {12, "bob", 1}, {900001, "carol-anne", 12},
    {7, "dee", 0},      {31337, "eve", 250}, {100, "frederick", 5},
};
#define NORDERS (sizeof orders / sizeof orders[0])

/* A sink that can be read back: a memfd behind a FILE, the test's buffer under it. */
struct sink {
    int fd;
    struct logline lg;
    char buf[1024];
};

/* 0, or -1 when out of memory (fdopen's FILE), nothing left open. */
static int sink_try_open(struct sink *s, enum logline_level level)
{
    s->fd = memfd_create("orders", MFD_CLOEXEC);
    cr_assert(s->fd >= 0);
    s->lg = (struct logline){level, fdopen(s->fd, "w"), 0};
    if (s->lg.sink == NULL) {
        close(s->fd);
        return -1;
    }
    cr_assert(eq(int, setvbuf(s->lg.sink, s->buf, _IOFBF, sizeof s->buf), 0));
    return 0;
}

static void sink_open(struct sink *s, enum logline_level level)
{
    cr_assert(eq(int, sink_try_open(s, level), 0), "fdopen: out of memory");
}

/* Close the sink; what was written to it, into text (size bytes, '\0'-ended). */
static void sink_close(struct sink *s, char *text, size_t size)
{
    ssize_t r;

    cr_assert(eq(int, fflush(s->lg.sink), 0));
    r = pread(s->fd, text, size - 1, 0);
    cr_assert(r >= 0);
    text[r] = '\0';
    fclose(s->lg.sink);
}

/* Order i's line, appended to text (size bytes). */
static void want_line(size_t i, char *text, size_t size)
{
    size_t n = strlen(text);

    snprintf(text + n, size - n, "handling order %d of %s, %zu items\n", orders[i].id,
             orders[i].user, orders[i].items);
}

/* The totals after orders 0..n-1. */
static struct order_totals want_totals(size_t n)
{
    struct order_totals t = {0, 0};

    for (size_t i = 0; i < n; i++) {
        t.orders++;
        t.items += orders[i].items;
    }
    return t;
}

static void assert_totals(const struct order_totals *t, const struct order_totals *want,
                          const char *when)
{
    cr_assert(t->orders == want->orders && t->items == want->items,
              "%s: expected the totals %llu orders and %llu items, saw %llu and %llu", when,
              (unsigned long long)want->orders, (unsigned long long)want->items,
              (unsigned long long)t->orders, (unsigned long long)t->items);
}

Test(order, with_debug_off_an_order_allocates_nothing_and_does_not_call_describe)
{
    struct sink s;
    struct order_totals t = {0, 0}, want = want_totals(NORDERS);
    struct countalloc_stats d;
    uint64_t calls = logline_describe_calls;
    char text[64];
    int rc = 0;

    sink_open(&s, LOGLINE_INFO);
    ALLOC_MEASURE(for (size_t i = 0; i < NORDERS; i++) rc |= handle_order(&s.lg, &orders[i], &t),
                  d);
    calls = logline_describe_calls - calls;
    cr_assert(eq(int, rc, 0), "handle_order failed with memory to spare");
    cr_assert(d.mallocs == 0 && d.frees == 0 && calls == 0,
              "glibc %s, debug off, %zu orders: expected 0 allocations and 0 calls of "
              "describe, saw %llu allocations of %llu bytes, %llu frees and %llu calls: %s",
              gnu_get_libc_version(), NORDERS, (unsigned long long)d.mallocs,
              (unsigned long long)d.total_alloc, (unsigned long long)d.frees,
              (unsigned long long)calls,
              calls != 0 ? "describe runs before the level is looked at (its block, and "
                           "asprintf's when the line is formatted first: 2 a line before "
                           "glibc 2.37, 1 since); check the level at the call site"
                         : "something still allocates for a line that is off");
    cr_assert(eq(i64, d.heap_objects, 0), "debug off: %lld blocks left live",
              (long long)d.heap_objects);
    assert_totals(&t, &want, "debug off");
    sink_close(&s, text, sizeof text);
    cr_assert(eq(str, text, ""), "debug off: nothing should be written");
}

Test(order, with_debug_on_each_order_writes_its_line_and_costs_describes_block_alone)
{
    struct sink s;
    struct order_totals t = {0, 0}, want = want_totals(NORDERS);
    struct countalloc_stats d;
    uint64_t calls = logline_describe_calls, bytes = 0;
    char text[1024], want_text[1024] = "";
    int rc = 0;

    for (size_t i = 0; i < NORDERS; i++) {
        bytes += logline_describe_len(&orders[i]) + 1;
        want_line(i, want_text, sizeof want_text);
    }
    sink_open(&s, LOGLINE_DEBUG);
    ALLOC_MEASURE(for (size_t i = 0; i < NORDERS; i++) rc |= handle_order(&s.lg, &orders[i], &t),
                  d);
    calls = logline_describe_calls - calls;
    cr_assert(eq(int, rc, 0), "handle_order failed with memory to spare");
    cr_assert(eq(u64, calls, NORDERS), "debug on: describe should run once an order");
    cr_assert(d.mallocs == NORDERS && d.total_alloc == bytes && d.frees == NORDERS,
              "glibc %s, debug on, %zu orders: expected %zu allocations of %llu bytes in all "
              "(describe's string per order, its length + 1) and %zu frees, saw %llu "
              "allocations of %llu bytes and %llu frees: %s",
              gnu_get_libc_version(), NORDERS, NORDERS, (unsigned long long)bytes, NORDERS,
              (unsigned long long)d.mallocs, (unsigned long long)d.total_alloc,
              (unsigned long long)d.frees,
              d.mallocs > NORDERS ? "more than describe's block: logline_fmt makes a heap "
                                    "string of its own (asprintf's blocks); logline_printf "
                                    "writes into the stream"
                                  : "each order's line needs describe's string, no more");
    cr_assert(eq(i64, d.heap_objects, 0), "debug on: %lld blocks left live: describe's "
              "string must be freed", (long long)d.heap_objects);
    assert_totals(&t, &want, "debug on");
    sink_close(&s, text, sizeof text);
    cr_assert(eq(str, text, want_text), "debug on: the lines written");
}

Test(order, a_failed_describe_returns_enomem_writes_nothing_and_leaves_the_totals)
{
    SKIP_WITHOUT_INJECTION();
    struct sink s;
    struct order_totals t = want_totals(2), want = t;
    uint64_t calls = logline_describe_calls;
    char text[64];
    int rc, err;

    sink_open(&s, LOGLINE_DEBUG);
    countalloc_fail_at(1, false); /* describe's string */
    ASSERT_NO_LEAK(rc = handle_order(&s.lg, &orders[2], &t); err = errno);
    cr_assert(eq(u64, countalloc_fail_off(), 1), "the first allocation was made and failed");
    cr_assert(rc == -1 && err == ENOMEM, "with describe's allocation failing, expected -1 "
              "and ENOMEM, saw %d (%s)", rc, strerror(err));
    cr_assert(eq(u64, logline_describe_calls - calls, 1));
    assert_totals(&t, &want, "a failed describe");
    sink_close(&s, text, sizeof text);
    cr_assert(eq(str, text, ""), "a failed describe: nothing should be written");
}

Test(order, a_line_that_cannot_be_written_returns_the_sinks_error_and_leaves_the_totals)
{
    struct logline lg = {LOGLINE_DEBUG, fopen("/dev/full", "w"), 0};
    struct order_totals t = want_totals(2), want = t;
    int rc, err;

    cr_assert_not_null(lg.sink);
    cr_assert(eq(int, setvbuf(lg.sink, NULL, _IONBF, 0), 0)); /* the line written at once */
    ASSERT_NO_LEAK(rc = handle_order(&lg, &orders[0], &t); err = errno);
    cr_assert(rc == -1 && err == ENOSPC, "debug on, to /dev/full: expected -1 and ENOSPC, "
              "saw %d (%s)", rc, strerror(err));
    assert_totals(&t, &want, "a failed write");
    fclose(lg.sink);
}

/* The sink opened, then every order handled, debug on for the odd ones. A failure must be
 * ENOMEM with the totals as before that order; a success is checked against the lines and
 * totals it should have made. The starter's logline_fmt goes through vasprintf, which on
 * glibc 2.36 keeps its working buffer when the exact copy fails: a success after a failed
 * allocation is counted as absorbed, and checked the same way. */
static int job(void *ctx)
{
    struct sink s;
    struct order_totals t = {0, 0}, before, want = want_totals(NORDERS);
    char text[1024], want_text[1024] = "";
    int rc = 0;

    (void)ctx;
    if (sink_try_open(&s, LOGLINE_INFO) != 0)
        return -1;
    for (size_t i = 0; i < NORDERS && rc == 0; i++) {
        s.lg.level = i % 2 ? LOGLINE_DEBUG : LOGLINE_INFO;
        if (i % 2)
            want_line(i, want_text, sizeof want_text);
        before = t;
        if ((rc = handle_order(&s.lg, &orders[i], &t)) != 0) {
            cr_assert(eq(int, errno, ENOMEM), "order %zu failed with %s", i, strerror(errno));
            assert_totals(&t, &before, "a failed order");
        }
    }
    sink_close(&s, text, sizeof text);
    if (rc == 0) {
        assert_totals(&t, &want, "every order handled");
        cr_assert(eq(str, text, want_text), "a run that reported success wrote other lines");
    }
    return rc;
}

Test(order, every_allocation_failed_in_turn_is_reported_or_absorbed_and_leaks_nothing)
{
    ASSERT_SWEEP_ABSORBS(job, NULL);
}
