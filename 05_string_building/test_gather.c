/* test_gather.c: a message of pieces written whole three ways (gather.h): the same bytes
 * arrive each way; the allocations, the bytes copied and the calls worked out from the
 * pieces, and the calls checked against the kernel's own count (syscw); short writes and
 * EINTR continued from the byte they stopped at; failures that leave nothing behind; and
 * the demo's bad arguments. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <valgrind/valgrind.h>

#include "alloc_assert.h"
#include "cli_assert.h"
#include "countalloc.h"
#include "gather.h"
#include "hash.h"

typedef int way_fn(int fd, const struct iovec *pieces, size_t k, struct gather_cost *c);

static const struct {
    const char *name;
    way_fn *run;
} ways[3] = {{"build", gather_build}, {"piecewise", gather_piecewise}, {"writev", gather_writev}};

static uint64_t digest_of(const struct iovec *pieces, size_t k)
{
    uint64_t h = HASH_FNV_START;

    for (size_t i = 0; i < k; i++)
        h = hash_fnv(h, pieces[i].iov_base, pieces[i].iov_len);
    return h;
}

/* The kernel's count of this thread's write-family calls (syscw) across a way, against the
 * code's. Exact; under Valgrind at least the code's, since Valgrind's scheduler hands its
 * lock from thread to thread through a pipe, written around each blocking system call on
 * this thread too. */
static void assert_syscw(uint64_t syscw, uint64_t calls, const char *way, const char *what)
{
    if (RUNNING_ON_VALGRIND)
        cr_assert(syscw >= calls, "%s, %s: the kernel counted %llu write-family calls (syscw), "
                  "fewer than the code's %llu", way, what, (unsigned long long)syscw,
                  (unsigned long long)calls);
    else
        cr_assert(syscw == calls, "%s, %s: the kernel counted %llu write-family calls (syscw), "
                  "the code %llu", way, what, (unsigned long long)syscw,
                  (unsigned long long)calls);
}

/* The costs a way has when no call is cut short, worked out from the pieces. */
struct want {
    uint64_t allocs, bytes, calls, copied;
};

static struct want want_of(int way, const struct iovec *pieces, size_t k)
{
    size_t total = gather_total(pieces, k), cap = k < IOV_MAX ? k : IOV_MAX;
    struct want w = {0, 0, 0, 0};

    if (total == 0)
        return w;
    if (way == 0) /* one block of the total, every byte copied into it, one write */
        return (struct want){1, total, 1, total};
    if (way == 1) { /* a write per non-empty piece */
        for (size_t i = 0; i < k; i++)
            w.calls += pieces[i].iov_len > 0;
        return w;
    }
    if (cap > GATHER_STACK_IOV) { /* the window on the heap */
        w.allocs = 1;
        w.bytes = cap * sizeof(struct iovec);
    }
    for (size_t at = 0; at < k; at += cap) /* a writev per window holding a byte */
        w.calls += gather_total(pieces + at, k - at < cap ? k - at : cap) > 0;
    return w;
}

/* Each way writes the pieces into its own memfd: the bytes arrive whole, and the counts are
 * what want_of says, the calls the kernel's syscw too. */
static void check_ways(const struct iovec *pieces, size_t k, const char *what)
{
    uint64_t total = gather_total(pieces, k), digest = digest_of(pieces, k);

    for (int w = 0; w < 3; w++) {
        int fd = memfd_create("gather", MFD_CLOEXEC);
        struct gather_cost c = {0, 0, 0, 0};
        struct countalloc_stats d;
        struct want want = want_of(w, pieces, k);
        uint64_t before, after, bytes, got;
        int rc;

        cr_assert(fd >= 0);
        before = gather_syscw();
        ALLOC_MEASURE(rc = ways[w].run(fd, pieces, k, &c), d);
        after = gather_syscw();
        cr_assert(rc == 0, "%s, %s: failed (%s)", ways[w].name, what, strerror(errno));
        got = gather_fd_digest(fd, &bytes);
        close(fd);
        cr_assert(bytes == total && got == digest,
                  "%s, %s: expected the %llu bytes of the pieces in order, got %llu bytes (digest "
                  "%016llx, not %016llx)", ways[w].name, what, (unsigned long long)total,
                  (unsigned long long)bytes, (unsigned long long)got, (unsigned long long)digest);
        cr_assert(d.mallocs == want.allocs && d.total_alloc == want.bytes && d.heap_objects == 0,
                  "%s, %s: expected %llu allocations of %llu bytes, all freed; saw %llu of %llu, "
                  "%lld live", ways[w].name, what, (unsigned long long)want.allocs,
                  (unsigned long long)want.bytes, (unsigned long long)d.mallocs,
                  (unsigned long long)d.total_alloc, (long long)d.heap_objects);
        cr_assert(c.calls == want.calls && c.copied == want.copied && c.shorts == 0 && c.eintr == 0,
                  "%s, %s: expected %llu calls and %llu bytes copied, none short; saw %llu calls "
                  "(%llu short, %llu EINTR), %llu copied", ways[w].name, what,
                  (unsigned long long)want.calls, (unsigned long long)want.copied,
                  (unsigned long long)c.calls, (unsigned long long)c.shorts,
                  (unsigned long long)c.eintr, (unsigned long long)c.copied);
        assert_syscw(after - before, c.calls, ways[w].name, what);
    }
}

static void check_message(size_t h, size_t body)
{
    struct gather_msg m;
    char what[64];

    cr_assert(gather_msg_make(h, body, &m) == 0);
    snprintf(what, sizeof what, "%zu headers and a %zu-byte body", h, body);
    check_ways(m.piece, m.k, what);
    gather_msg_free(&m);
}

Test(gather_msg, a_message_is_one_allocation_of_its_iovecs_and_bytes)
{
    struct gather_msg m;
    int rc;

    ASSERT_ALLOC_COUNT(rc = gather_msg_make(8, 1000, &m), 1);
    cr_assert(rc == 0);
    cr_assert(eq(sz, m.k, 11), "a status line, 8 header lines, a body, a trailer");
    cr_assert(eq(sz, m.piece[9].iov_len, 1000));
    cr_assert(eq(sz, gather_total(m.piece, m.k), m.total));
    cr_assert(eq(int, memcmp(m.piece[0].iov_base, "HTTP/1.1 200 OK\r\n", 17), 0));
    gather_msg_free(&m);
}

Test(gather_counts, each_way_writes_the_same_bytes_with_the_calls_and_copies_worked_out)
{
    check_message(0, 0);
    check_message(8, 100);
    check_message(8, 1 << 20);
}

Test(gather_counts, writev_takes_its_window_from_the_heap_past_gather_stack_iov_pieces)
{
    check_message(GATHER_STACK_IOV - 3, 10); /* k = GATHER_STACK_IOV: on the stack */
    check_message(GATHER_STACK_IOV - 2, 10); /* one more: one malloc'd window */
}

Test(gather_counts, writev_makes_a_call_per_iov_max_pieces)
{
    check_message(IOV_MAX - 3, 10);     /* k = IOV_MAX: one writev */
    check_message(2 * IOV_MAX + 5, 10); /* three windows */
}

Test(gather_counts, empty_pieces_cost_no_call)
{
    char a[] = "abc", b[] = "defgh";
    struct iovec p[5] = {{a, 0}, {a, 3}, {b, 0}, {b, 5}, {b, 0}};
    struct iovec none[2] = {{a, 0}, {b, 0}};

    check_ways(p, 5, "two empty pieces among three");
    check_ways(none, 2, "two empty pieces");
    check_ways(none, 0, "no piece");
}

/* ---- short writes and EINTR ---- */

/* The message through the slow pipe: the bytes arrive whole; a way that asks for more than
 * a page waits, and each wait ends short (a page written) or with EINTR (the first). */
Test(gather_short, a_short_write_is_continued_from_the_byte_it_stopped_at)
{
    struct gather_msg m;

    cr_assert(gather_msg_make(8, 20000, &m) == 0);
    uint64_t digest = digest_of(m.piece, m.k), pages = (m.total + 4095) / 4096;
    uint64_t nonempty = m.k;

    for (int w = 0; w < 3; w++) {
        struct gather_slow s;
        struct gather_cost c = {0, 0, 0, 0};
        uint64_t before, after, bytes, got;
        int rc;

        cr_assert(gather_slow_open(&s) == 0, "slow pipe: %s", strerror(errno));
        before = gather_syscw();
        rc = ways[w].run(s.wfd, m.piece, m.k, &c);
        after = gather_syscw();
        cr_assert(gather_slow_close(&s, &bytes, &got) == 0);
        cr_assert(rc == 0, "%s: failed (%s)", ways[w].name, strerror(errno));
        cr_assert(bytes == m.total && got == digest,
                  "%s: expected the %zu bytes in order, the reader got %llu (digest %016llx, not "
                  "%016llx): a short write not continued from where it stopped", ways[w].name,
                  m.total, (unsigned long long)bytes, (unsigned long long)got,
                  (unsigned long long)digest);
        assert_syscw(after - before, c.calls, ways[w].name, "through the slow pipe");
        if (w == 1) {
            /* piecewise: a call per piece; more where a piece meets a full page: an EINTR
             * where it could write nothing (the first piece: the pipe starts full), a
             * short call where it wrote some. The kernel decides which, by how it merges
             * small writes into the last page: bounds. */
            cr_assert(c.eintr >= 1 && c.eintr <= 1 + pages && c.shorts <= pages &&
                          c.calls - c.eintr - c.shorts == nonempty,
                      "piecewise: expected a call per piece (%llu) that finished it, 1 to %llu "
                      "EINTR and at most %llu short; saw %llu calls, %llu EINTR, %llu short",
                      (unsigned long long)nonempty, (unsigned long long)(1 + pages),
                      (unsigned long long)pages, (unsigned long long)c.calls,
                      (unsigned long long)c.eintr, (unsigned long long)c.shorts);
            continue;
        }
        cr_assert(c.eintr == 1, "%s: the pipe starts full: one EINTR expected, saw %llu",
                  ways[w].name, (unsigned long long)c.eintr);
        cr_assert(c.calls == 1 + pages && c.shorts == pages - 1,
                  "%s: %zu bytes through a one-page pipe: expected an EINTR, then %llu calls of a "
                  "page each but the last, %llu of them short; saw %llu calls, %llu short",
                  ways[w].name, m.total, (unsigned long long)pages,
                  (unsigned long long)(pages - 1), (unsigned long long)c.calls,
                  (unsigned long long)c.shorts);
    }
    gather_msg_free(&m);
}

/* ---- failure ---- */

Test(gather_failure, a_failed_write_returns_its_errno_and_leaves_nothing_behind)
{
    struct gather_msg m;

    cr_assert(gather_msg_make(GATHER_STACK_IOV, 100, &m) == 0);
    struct iovec copy[GATHER_STACK_IOV + 3];

    memcpy(copy, m.piece, sizeof copy);
    for (int w = 0; w < 3; w++) {
        int fd = open("/dev/full", O_WRONLY | O_CLOEXEC);
        struct gather_cost c = {0, 0, 0, 0};
        int rc;

        cr_assert(fd >= 0);
        ASSERT_NO_LEAK(rc = ways[w].run(fd, m.piece, m.k, &c));
        close(fd);
        cr_assert(rc == -1 && errno == ENOSPC, "%s to /dev/full: expected -1 and ENOSPC, got %d "
                  "(%s)", ways[w].name, rc, strerror(errno));
        cr_assert(eq(u64, c.calls, 1), "%s: the first call fails, no other is made", ways[w].name);
        cr_assert(eq(int, memcmp(copy, m.piece, sizeof copy), 0), "%s: the pieces as they were",
                  ways[w].name);
    }
    gather_msg_free(&m);
}

static int sweep_way(void *ctx)
{
    way_fn *run = *(way_fn **)ctx;
    struct gather_msg m;
    struct gather_cost c = {0, 0, 0, 0};
    int fd, rc;

    if (gather_msg_make(GATHER_STACK_IOV, 100, &m) != 0) /* k past the stack window */
        return -1;
    fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
    cr_assert(fd >= 0);
    rc = run(fd, m.piece, m.k, &c);
    close(fd);
    if (rc != 0)
        cr_assert(eq(int, errno, ENOMEM));
    gather_msg_free(&m);
    return rc;
}

Test(gather_failure, every_allocation_failed_in_turn_is_reported_and_leaks_nothing)
{
    way_fn *fns[3] = {gather_build, gather_piecewise, gather_writev};

    for (int w = 0; w < 3; w++)
        ASSERT_SWEEP_CLEAN(sweep_way, &fns[w]);
}

/* ---- the program ---- */

Test(gather_program, bad_arguments_get_one_line_and_exit_status_2)
{
    static const char *const bad[] = {"abc", "-1", "1001", "1x", "--bogus",
                                      "99999999999999999999999", "1 2 3"};

    ASSERT_BAD_ARGUMENTS("demo/gather", "H", bad);
}
