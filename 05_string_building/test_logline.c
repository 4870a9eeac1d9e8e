/* test_logline.c: a log line nobody reads (logline.h). A line formatted first allocates
 * asprintf's blocks whether it is written or not; one checked first allocates nothing off,
 * and nothing per line on once the stream has its buffer, but its call site evaluates an
 * argument that allocates either way; the macro evaluates no argument when off. Every
 * count is worked out from the line's length and glibc's release; the bytes are the same
 * every way; a failed allocation or write is returned with nothing left allocated; and the
 * demo's bad arguments. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <errno.h>
#include <fcntl.h>
#include <gnu/libc-version.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc_assert.h"
#include "cli_assert.h"
#include "countalloc.h"
#include "logline.h"
#include "platform.h"

#define LINES 8 /* lines a test writes each way */
#define USER "alice"

static const char *const way_names[3] = {"format first", "check first", "macro"};

/* A sink that can be read back: a memfd behind a FILE, its buffer made by a first line at
 * INFO, so that what is counted after it is the lines' own. */
struct sink {
    int fd;
    struct logline lg;
};

static void sink_open(struct sink *s, enum logline_level level)
{
    s->fd = memfd_create("logline", MFD_CLOEXEC);
    cr_assert(s->fd >= 0);
    s->lg = (struct logline){level, fdopen(s->fd, "w"), 0};
    cr_assert_not_null(s->lg.sink);
    cr_assert(eq(int, logline_printf(&s->lg, LOGLINE_INFO, "start"), 0));
    s->lg.lines = 0; /* the lines the test writes */
}

/* Close the sink; what it holds after the first line, into buf (size bytes, '\0'-ended). */
static size_t sink_close(struct sink *s, char *buf, size_t size)
{
    ssize_t r;

    cr_assert(eq(int, fflush(s->lg.sink), 0));
    r = pread(s->fd, buf, size - 1, 6); /* "start\n" */
    cr_assert(r >= 0);
    buf[r] = '\0';
    fclose(s->lg.sink);
    return (size_t)r;
}

/* The bytes asprintf allocates for a line of len bytes (under 100): glibc <= 2.36 a working
 * buffer of 100 bytes, then the exact copy, len + 1 (platform.h); glibc >= 2.37 formats on
 * the stack and makes the exact copy alone. */
static size_t asprintf_bytes(size_t len)
{
    return platform_glibc_at_least(2, 37) ? len + 1 : 100 + len + 1;
}

static size_t request_len(int id)
{
    return (size_t)snprintf(NULL, 0, "request %d from %s", id, USER);
}

/* ---- format first ---- */

Test(logline_format_first, allocates_asprintfs_blocks_per_line_whether_it_is_written_or_not)
{
    unsigned allocs = platform_asprintf_short_allocs(), frees = platform_asprintf_short_frees();

    for (int on = 0; on < 2; on++) {
        struct sink s;
        struct countalloc_stats d;
        size_t bytes = 0;
        int rc = 0;

        sink_open(&s, on ? LOGLINE_DEBUG : LOGLINE_INFO);
        for (int i = 0; i < LINES; i++)
            bytes += asprintf_bytes(request_len(1000 + i * 1111));
        ALLOC_MEASURE(for (int i = 0; i < LINES; i++) rc |= logline_site_request(
                          &s.lg, LOGLINE_FORMAT_FIRST, 1000 + i * 1111, USER), d);
        cr_assert(eq(int, rc, 0));
        cr_assert(d.mallocs == (uint64_t)LINES * allocs && d.total_alloc == bytes &&
                      d.frees == (uint64_t)LINES * (frees + 1) && d.heap_objects == 0,
                  "glibc %s, debug %s: %d lines formatted first: expected %u allocations of "
                  "%zu bytes and %u frees a line (asprintf's, 2 and 1 before glibc 2.37, 1 and 0 "
                  "since, and the string's free), all freed; saw %llu allocations of %llu bytes, "
                  "%llu frees, %lld live", gnu_get_libc_version(), on ? "on" : "off", LINES,
                  allocs, bytes / LINES, frees + 1, (unsigned long long)d.mallocs,
                  (unsigned long long)d.total_alloc, (unsigned long long)d.frees,
                  (long long)d.heap_objects);
        cr_assert(eq(u64, s.lg.lines, on ? LINES : 0));
        {
            char buf[512];

            sink_close(&s, buf, sizeof buf);
        }
    }
}

/* ---- check first ---- */

Test(logline_check_first, allocates_nothing_off_and_nothing_per_line_on_once_the_stream_has_its_buffer)
{
    for (int on = 0; on < 2; on++) {
        struct sink s;
        int rc = 0;
        char buf[512];

        sink_open(&s, on ? LOGLINE_DEBUG : LOGLINE_INFO);
        ASSERT_NO_ALLOCS(for (int i = 0; i < LINES; i++) rc |= logline_site_request(
                             &s.lg, LOGLINE_CHECK_FIRST, 1000 + i * 1111, USER));
        cr_assert(eq(int, rc, 0));
        cr_assert(eq(u64, s.lg.lines, on ? LINES : 0));
        cr_assert(eq(sz, sink_close(&s, buf, sizeof buf),
                     on ? LINES * (request_len(1000) + 1) : 0));
    }
}

/* stdio allocates a stream's buffer on its first write: one block of the descriptor's
 * st_blksize, at most BUFSIZ (01's hidden allocations); a buffer the caller gives setvbuf
 * takes its place, and then nothing is allocated at all. */
Test(logline_check_first, the_first_line_to_a_stream_allocates_its_buffer_unless_the_caller_gives_one)
{
    struct logline lg = {LOGLINE_DEBUG, NULL, 0};
    struct stat st;
    static char own[1024];
    int rc;

    ASSERT_ALLOC_COUNT(lg.sink = fopen("/dev/null", "w"), 1); /* the FILE */
    cr_assert_not_null(lg.sink);
    cr_assert(eq(int, fstat(fileno(lg.sink), &st), 0));
    ASSERT_ALLOCS(rc = logline_printf(&lg, LOGLINE_DEBUG, "request %d", 4711), 1,
                  (size_t)(st.st_blksize < BUFSIZ ? st.st_blksize : BUFSIZ));
    cr_assert(eq(int, rc, 0));
    ASSERT_NO_ALLOCS(rc = logline_printf(&lg, LOGLINE_DEBUG, "request %d", 4712));
    {
        struct countalloc_stats d;

        ALLOC_MEASURE(rc = fclose(lg.sink), d);
        cr_assert(eq(int, rc, 0));
        cr_assert(d.mallocs == 0 && d.frees == 2, "fclose frees the buffer and the FILE: "
                  "expected 0 allocations and 2 frees, saw %llu and %llu",
                  (unsigned long long)d.mallocs, (unsigned long long)d.frees);
    }

    lg.sink = fopen("/dev/null", "w");
    cr_assert_not_null(lg.sink);
    cr_assert(eq(int, setvbuf(lg.sink, own, _IOFBF, sizeof own), 0));
    ASSERT_NO_ALLOCS(rc = logline_printf(&lg, LOGLINE_DEBUG, "request %d", 4711));
    cr_assert(eq(int, rc, 0));
    cr_assert(eq(int, fclose(lg.sink), 0));
}

/* ---- the macro ---- */

Test(logline_macro, evaluates_no_argument_when_off_and_each_once_when_on)
{
    struct sink s;
    int evaluated = 0, rc;
    char buf[64];

    sink_open(&s, LOGLINE_INFO);
    ASSERT_NO_ALLOCS(rc = LOGLINE_DEBUGF(&s.lg, "evaluated %d", ++evaluated));
    cr_assert(eq(int, rc, 0));
    cr_assert(eq(int, evaluated, 0), "debug off: the macro's argument was evaluated %d times",
              evaluated);
    /* logline_printf is a function: its call site evaluates the argument, off or not */
    rc = logline_printf(&s.lg, LOGLINE_DEBUG, "evaluated %d", ++evaluated);
    cr_assert(eq(int, evaluated, 1), "the function's argument is evaluated before the call");
    s.lg.level = LOGLINE_DEBUG;
    ASSERT_NO_ALLOCS(rc = LOGLINE_DEBUGF(&s.lg, "evaluated %d", ++evaluated));
    cr_assert(eq(int, evaluated, 2), "debug on: evaluated once");
    sink_close(&s, buf, sizeof buf);
    cr_assert(eq(str, buf, "evaluated 2\n"));
}

/* ---- an argument that allocates ---- */

/* What site_order costs a line, by way and level: describe's call and its block when it
 * runs, and asprintf's blocks for the way that formats first. */
struct want {
    uint64_t calls, allocs, bytes, frees;
};

static struct want want_order(int way, int on, size_t len)
{
    struct want w = {0, 0, 0, 0};

    if (way == LOGLINE_MACRO && !on)
        return w; /* the check first: describe is not called */
    w = (struct want){1, 1, len + 1, 1}; /* describe's string, freed after the line */
    if (way == LOGLINE_FORMAT_FIRST) {
        w.allocs += platform_asprintf_short_allocs();
        w.bytes += asprintf_bytes(len);
        w.frees += platform_asprintf_short_frees() + 1;
    }
    return w;
}

/* LINES lines of logline_site_order, object i's id 1000 + 1111 i: the same length each. */
static int order_lines(struct logline *lg, int way)
{
    int rc = 0;

    for (int i = 0; i < LINES; i++) {
        struct logline_obj o = {1000 + i * 1111, USER, (size_t)i};

        rc |= logline_site_order(lg, (enum logline_way)way, &o);
    }
    return rc;
}

Test(logline_describe, an_argument_that_allocates_costs_its_block_and_call_unless_the_check_comes_first)
{
    for (int way = 0; way < 3; way++)
        for (int on = 0; on < 2; on++) {
            struct sink s;
            struct countalloc_stats d;
            uint64_t calls = logline_describe_calls;
            size_t len = 0;
            int rc = 0;
            char buf[1024], want_text[1024] = "";

            for (int i = 0; i < LINES; i++) {
                struct logline_obj o = {1000 + i * 1111, USER, (size_t)i};
                size_t n = strlen(want_text);

                len = logline_describe_len(&o); /* the same for every i here */
                snprintf(want_text + n, sizeof want_text - n, "order %d of %s, %zu items\n",
                         o.id, o.user, o.items);
            }
            struct want w = want_order(way, on, len);

            sink_open(&s, on ? LOGLINE_DEBUG : LOGLINE_INFO);
            ALLOC_MEASURE(rc = order_lines(&s.lg, way), d);
            calls = logline_describe_calls - calls;
            cr_assert(eq(int, rc, 0));
            cr_assert(calls == LINES * w.calls && d.mallocs == LINES * w.allocs &&
                          d.total_alloc == LINES * w.bytes && d.frees == LINES * w.frees &&
                          d.heap_objects == 0,
                      "glibc %s, %s, debug %s, %d lines: expected describe called %llu times, "
                      "%llu allocations of %llu bytes and %llu frees, all freed; saw %llu calls, "
                      "%llu allocations of %llu bytes, %llu frees, %lld live",
                      gnu_get_libc_version(), way_names[way], on ? "on" : "off", LINES,
                      (unsigned long long)(LINES * w.calls), (unsigned long long)(LINES * w.allocs),
                      (unsigned long long)(LINES * w.bytes), (unsigned long long)(LINES * w.frees),
                      (unsigned long long)calls, (unsigned long long)d.mallocs,
                      (unsigned long long)d.total_alloc, (unsigned long long)d.frees,
                      (long long)d.heap_objects);
            sink_close(&s, buf, sizeof buf);
            cr_assert(eq(str, buf, on ? want_text : ""), "%s, debug %s: the lines written",
                      way_names[way], on ? "on" : "off");
        }
}

/* Every way writes the same bytes, at either site. */
Test(logline_describe, every_way_writes_the_same_lines)
{
    char got[3][1024];

    for (int way = 0; way < 3; way++) {
        struct sink s;

        sink_open(&s, LOGLINE_DEBUG);
        for (int i = 0; i < LINES; i++) {
            struct logline_obj o = {i * 997, i % 2 ? "bob" : USER, (size_t)i * 3};

            cr_assert(eq(int, logline_site_request(&s.lg, (enum logline_way)way, i * 31, USER), 0));
            cr_assert(eq(int, logline_site_order(&s.lg, (enum logline_way)way, &o), 0));
        }
        cr_assert(eq(u64, s.lg.lines, 2 * LINES));
        sink_close(&s, got[way], sizeof got[way]);
    }
    cr_assert(eq(str, got[0], got[1]));
    cr_assert(eq(str, got[0], got[2]));
    cr_assert(strncmp(got[0], "request 0 from alice\norder 0 of alice, 0 items\n", 47) == 0,
              "the first two lines: %.60s", got[0]);
}

/* ---- failure ---- */

/* describe's block made, then vasprintf's first allocation failed: -1 with ENOMEM, the
 * description freed, nothing written. On or off alike: formatting comes before the check. */
Test(logline_failure, a_failed_vasprintf_returns_enomem_and_frees_the_describe_argument)
{
    SKIP_WITHOUT_INJECTION();
    for (int on = 0; on < 2; on++) {
        struct sink s;
        struct logline_obj o = {4711, USER, 3};
        uint64_t calls = logline_describe_calls;
        int rc, err;

        sink_open(&s, on ? LOGLINE_DEBUG : LOGLINE_INFO);
        countalloc_fail_at(2, false); /* 1: describe's string; 2: vasprintf's first block */
        ASSERT_NO_LEAK(rc = logline_site_order(&s.lg, LOGLINE_FORMAT_FIRST, &o); err = errno);
        cr_assert(eq(u64, countalloc_fail_off(), 1), "the second allocation was made and failed");
        cr_assert(rc == -1 && err == ENOMEM, "debug %s: expected -1 and ENOMEM, got %d (%s)",
                  on ? "on" : "off", rc, strerror(err));
        cr_assert(eq(u64, logline_describe_calls - calls, 1));
        cr_assert(eq(u64, s.lg.lines, 0));
        {
            char buf[64];

            cr_assert(eq(sz, sink_close(&s, buf, sizeof buf), 0), "nothing written");
        }
    }
}

Test(logline_failure, a_failed_write_returns_the_sinks_error_and_leaves_nothing_allocated)
{
    for (int way = 0; way < 3; way++) {
        struct logline lg = {LOGLINE_DEBUG, fopen("/dev/full", "w"), 0};
        struct logline_obj o = {4711, USER, 3};
        int rc, err;

        cr_assert_not_null(lg.sink);
        cr_assert(eq(int, setvbuf(lg.sink, NULL, _IONBF, 0), 0)); /* each line written at once */
        ASSERT_NO_LEAK(rc = logline_site_order(&lg, (enum logline_way)way, &o); err = errno);
        cr_assert(rc == -1 && err == ENOSPC, "%s to /dev/full: expected -1 and ENOSPC, got %d (%s)",
                  way_names[way], rc, strerror(err));
        cr_assert(eq(u64, lg.lines, 0));
        fclose(lg.sink);
    }
}

/* One sink made, then each site written each way, off and on; every line that reported
 * success checked against the bytes it should have written. libc absorbs some failures
 * (vasprintf keeps its working buffer when the exact copy fails, glibc 2.36; a stream whose
 * buffer cannot be allocated writes unbuffered), so a success after a failed allocation is
 * counted as absorbed, and its bytes are checked. */
static int sweep_lines(void *ctx)
{
    int way = *(int *)ctx, fd = memfd_create("logline", MFD_CLOEXEC), rc = 0;
    struct logline lg = {LOGLINE_DEBUG, NULL, 0};
    struct logline_obj o = {4711, USER, 3};
    char want[256] = "", got[256];
    ssize_t r;

    cr_assert(fd >= 0);
    if ((lg.sink = fdopen(fd, "w")) == NULL) {
        close(fd);
        return -1;
    }
    for (int on = 0; on < 2 && rc == 0; on++) {
        lg.level = on ? LOGLINE_DEBUG : LOGLINE_INFO;
        rc = logline_site_request(&lg, (enum logline_way)way, 4711, USER);
        if (rc == 0)
            rc = logline_site_order(&lg, (enum logline_way)way, &o);
    }
    if (rc == 0) {
        cr_assert(eq(int, fflush(lg.sink), 0));
        r = pread(fd, got, sizeof got - 1, 0);
        cr_assert(r >= 0);
        got[r] = '\0';
        snprintf(want, sizeof want, "request 4711 from %s\norder 4711 of %s, 3 items\n", USER, USER);
        cr_assert(eq(str, got, want), "%s: a run that reported success wrote other bytes",
                  way_names[way]);
    } else {
        cr_assert(eq(int, errno, ENOMEM));
    }
    fclose(lg.sink);
    return rc;
}

Test(logline_failure, every_allocation_failed_in_turn_is_reported_or_absorbed_and_leaks_nothing)
{
    for (int way = 0; way < 3; way++)
        ASSERT_SWEEP_ABSORBS(sweep_lines, &way);
}

/* ---- the program ---- */

Test(logline_program, bad_arguments_get_one_line_and_exit_status_2)
{
    static const char *const bad_l[] = {"abc", "0", "-1", "1000001", "1x", "--bogus",
                                        "99999999999999999999999", "1 2 3"};
    static const char *const bad_r[] = {"10 0", "10 10000001", "10 x"};

    ASSERT_BAD_ARGUMENTS("demo/logline", "L", bad_l);
    ASSERT_BAD_ARGUMENTS("demo/logline", "R", bad_r);
}

Test(logline_program, a_run_frees_everything_it_took)
{
    cli_assert_frees_everything("demo/logline", "20 100");
}
