/* gather.c: gather, don't build. A response of H + 3 pieces (a status line, H header lines,
 * a body, a trailer) written whole three ways (gather.h): built into one block then
 * written, a write per piece, one writev. For a small body and a large one: allocations,
 * bytes copied in user space, the calls counted by the code and by the kernel (syscw),
 * and a digest of what arrived; then the same through a one-page pipe that makes every
 * blocked write short; then each way timed. make gather-05; ARGS="H R" (default 16 header
 * lines, 1,000 small responses a timed run). */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cli.h"
#include "countalloc.h"
#include "gather.h"
#include "hash.h"
#include "report.h"

#define PROG "gather"
#define H_DEFAULT 16
#define H_MAX 1000
#define R_DEFAULT 1000
#define R_MAX 100000
#define SMALL 100        /* bytes of the small body */
#define LARGE (1u << 20) /* and of the large one */
#define SLOW 20000       /* the body sent through the slow pipe */

typedef int way_fn(int fd, const struct iovec *pieces, size_t k, struct gather_cost *c);

static const struct {
    const char *name;
    way_fn *run;
} ways[3] = {{"build", gather_build}, {"piecewise", gather_piecewise}, {"writev", gather_writev}};

static _Noreturn void fail(const char *what)
{
    fprintf(stderr, "%s: %s: %s\n", PROG, what, strerror(errno));
    exit(1);
}

static void message(size_t h, size_t body, struct gather_msg *m)
{
    if (gather_msg_make(h, body, m) != 0)
        cli_oom(PROG, "making the message");
}

/* The three ways on one message, each into a memfd of its own. Returns 0 when all three
 * wrote the same bytes. */
static int counts(size_t h, size_t body)
{
    struct gather_msg m;
    uint64_t digest[3];
    char a[32], b[32], cp[32], t[32];

    message(h, body, &m);
    for (int w = 0; w < 3; w++) {
        int fd = memfd_create("gather", MFD_CLOEXEC);
        struct gather_cost c = {0, 0, 0, 0};
        struct countalloc_stats start, d;
        uint64_t before, after, bytes;
        int rc;

        if (fd < 0)
            fail("memfd_create");
        before = gather_syscw();
        countalloc_measure_begin(&start);
        rc = ways[w].run(fd, m.piece, m.k, &c);
        d = countalloc_measure_end(&start);
        after = gather_syscw();
        if (rc != 0) {
            if (errno == ENOMEM)
                cli_oom(PROG, ways[w].name);
            fail(ways[w].name);
        }
        digest[w] = gather_fd_digest(fd, &bytes);
        close(fd);
        printf("  %3zu  %10s  %-10s  %6s  %10s  %10s  %5llu  %5llu  %016llx\n", m.k,
               w == 0 ? report_bytes((double)m.total, t, 32) : "", ways[w].name,
               report_count(d.mallocs, a, 32), report_bytes((double)d.total_alloc, b, 32),
               report_bytes((double)c.copied, cp, 32), (unsigned long long)c.calls,
               (unsigned long long)(after - before), (unsigned long long)digest[w]);
    }
    gather_msg_free(&m);
    return digest[0] == digest[1] && digest[1] == digest[2] ? 0 : -1;
}

/* The three ways through the slow pipe. Returns 0 when the reader got the same bytes. */
static int slow(size_t h)
{
    struct gather_msg m;
    uint64_t digest[3];

    message(h, SLOW, &m);
    for (int w = 0; w < 3; w++) {
        struct gather_slow s;
        struct gather_cost c = {0, 0, 0, 0};
        uint64_t before, after, bytes;
        int rc;

        if (gather_slow_open(&s) != 0)
            fail("the slow pipe");
        before = gather_syscw();
        rc = ways[w].run(s.wfd, m.piece, m.k, &c);
        after = gather_syscw();
        if (gather_slow_close(&s, &bytes, &digest[w]) != 0)
            fail("the slow pipe's watcher");
        if (rc != 0) {
            if (errno == ENOMEM)
                cli_oom(PROG, ways[w].name);
            fail(ways[w].name);
        }
        printf("  %-10s  %5llu  %5llu  %5llu  %5llu  %7llu  %016llx\n", ways[w].name,
               (unsigned long long)c.calls, (unsigned long long)c.shorts,
               (unsigned long long)c.eintr, (unsigned long long)(after - before),
               (unsigned long long)bytes, (unsigned long long)digest[w]);
    }
    gather_msg_free(&m);
    return digest[0] == digest[1] && digest[1] == digest[2] ? 0 : -1;
}

/* ---- timing: r responses into one memfd, each from offset 0 ---- */

struct job {
    int fd, way;
    const struct gather_msg *m;
    size_t r;
};

static int job(void *ctx)
{
    struct job *j = ctx;
    struct gather_cost c = {0, 0, 0, 0};

    for (size_t i = 0; i < j->r; i++)
        if (lseek(j->fd, 0, SEEK_SET) != 0 ||
            ways[j->way].run(j->fd, j->m->piece, j->m->k, &c) != 0)
            return -1;
    return 0;
}

static void timing(size_t h, size_t body, size_t r)
{
    struct gather_msg m;
    struct report_run run[3];
    char t[64], v[32], tb[32];
    int fd = memfd_create("gather", MFD_CLOEXEC);

    if (fd < 0)
        fail("memfd_create");
    message(h, body, &m);
    for (int w = 0; w < 3; w++) {
        struct job j = {fd, w, &m, r};

        if (report_measure(ways[w].name, job, &j, &run[w]) != 0) {
            if (errno == ENOMEM)
                cli_oom(PROG, ways[w].name);
            fail(ways[w].name);
        }
    }
    printf("  %zu responses of %s (%zu pieces), median of %u runs (fastest - slowest):\n", r,
           report_bytes((double)m.total, tb, 32), m.k, run[0].runs);
    for (int w = 0; w < 3; w++)
        printf("    %-10s %32s  %6s\n", ways[w].name, report_time_spread(&run[w], t, sizeof t),
               w == 0 ? "" : report_time_ratio(&run[w], &run[0], v, sizeof v));
    close(fd);
    gather_msg_free(&m);
}

int main(int argc, char **argv)
{
    size_t h = H_DEFAULT, r = R_DEFAULT;
    int bad = 0;

    cli_close_stdout_at_exit(PROG);
    cli_max_args(PROG, argc, 2, "[H [R]]");
    if (argc > 1)
        h = (size_t)cli_u64(PROG, "H", argv[1], 0, H_MAX);
    if (argc > 2)
        r = (size_t)cli_u64(PROG, "R", argv[2], 1, R_MAX);

    printf("A response of k = H + 3 pieces (a status line, H header lines, a body, a trailer),\n"
           "H = %zu, written whole into a memfd three ways. build: one malloc'd block, every\n"
           "byte copied into it, then write(2). piecewise: a write(2) per piece. writev: one\n"
           "writev(2) of the pieces (iovecs on the stack up to %d pieces). calls: counted by\n"
           "the code; syscw: the kernel's count of this thread's write-family calls\n"
           "(/proc/thread-self/io); digest: FNV-1a of what the memfd holds.\n", h,
           GATHER_STACK_IOV);
    printf("  %3s  %10s  %-10s  %6s  %10s  %10s  %5s  %5s  %16s\n", "k", "message", "way",
           "allocs", "bytes", "copied", "calls", "syscw", "digest");
    bad |= counts(h, SMALL);
    bad |= counts(h, LARGE);
    printf("the same bytes all three ways: %s\n", bad ? "NO (a bug)" : "yes");
    cli_flush_stdout();

    printf("\nshort writes: the same response with a %d-byte body through a pipe of one page\n"
           "(4 KiB) that starts full, each wait of the writer ended by a signal whose handler\n"
           "drains the pipe: a call that waited returns short, or EINTR if it wrote nothing,\n"
           "and each way continues from the byte it stopped at.\n", SLOW);
    printf("  %-10s  %5s  %5s  %5s  %5s  %7s  %16s\n", "way", "calls", "short", "EINTR", "syscw",
           "read", "digest");
    if (slow(h) != 0) {
        printf("the same bytes all three ways: NO (a bug)\n");
        bad = 1;
    } else
        printf("the same bytes all three ways: yes\n");
    cli_flush_stdout();

    printf("\ntimes, writing into one memfd from offset 0 each time:\n");
    timing(h, SMALL, r);
    timing(h, LARGE, r / 50 > 0 ? r / 50 : 1);
    return bad ? 1 : 0;
}
