/* threads.c: what a thread costs (threads.h). It starts N threads that park on one
 * condition variable, reads the process's VmSize and VmRSS with all of them parked, then
 * releases and joins them and reads again; four batches in one process: glibc's default
 * stack twice, then a 64 KiB stack twice, so the second of each shows what glibc's cache
 * of the stacks of exited threads gives back. The heap is the counting allocator's.
 *
 *   threads [--counted] [N]
 *       N threads a batch (default 64); --counted leaves VmRSS out (the kernel's count of
 *       the pages touched moves by a page or two from run to run), so what is left is exact
 *
 * make threads-02 runs it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "report.h"
#include "threads.h"

#define PROG "threads"
#define DEFAULT_N 64
#define MAX_N 1024
#define SMALL_STACK (64u << 10)

static int pages = 1; /* VmRSS shown: not with --counted */

static void row(const char *what, size_t n, const struct threads_cost *c)
{
    char vs[32], rs[32], a[32], b[32], ks[32], f[32];
    double per = (double)n;

    /* VmSize moves by whole pages: per thread in KiB, exact where it divides */
    snprintf(vs, sizeof vs, "%.1f KiB", (double)(c->parked.size - c->before.size) / 1024 / per);
    if (pages)
        report_bytes((double)(int64_t)(c->parked.rss - c->before.rss) / per, rs, sizeof rs);
    else
        rs[0] = '\0';
    report_count((c->joined.size - c->before.size) >> 10, ks, sizeof ks);
    strcat(ks, " KiB");
    printf("  %-22s %11s %9s %7s %9s  %11s %6s\n", what, vs, rs,
           report_count(c->start.mallocs, a, sizeof a),
           report_count(c->start.total_alloc, b, sizeof b),
           ks,
           report_count(c->join.frees, f, sizeof f));
}

int main(int argc, char **argv)
{
    static const char *const name[] = {"default", "default, again", "64 KiB", "64 KiB, again"};
    const size_t stack[] = {0, 0, SMALL_STACK, SMALL_STACK};
    struct threads_cost c[4];
    uint64_t n = DEFAULT_N;
    pthread_t *tid;
    char x[32], y[32], z[32];
    size_t def_stack, def_guard;
    int arg;

    cli_close_stdout_at_exit(PROG);
    pages = !cli_flag(argc, argv, "--counted");
    arg = 2 - pages;
    cli_max_args(PROG, argc - (arg - 1), 1, "[--counted] [N]");
    if (argc > arg)
        n = cli_u64(PROG, "N", argv[arg], 1, MAX_N);

    /* The ids, and the first printf, which allocates stdout's buffer: before any batch. */
    threads_defaults(&def_stack, &def_guard);
    tid = malloc(n * sizeof *tid);
    if (tid == NULL)
        cli_oom(PROG, "allocating the thread ids");
    printf("%s: %s threads a batch, each parked on one condition variable; VmSize and VmRSS\n"
           "from /proc/self/status with every thread parked (a change per thread) and after\n"
           "the join (the batch's); the heap from the counting allocator. glibc's default\n"
           "stack: %s, and a guard page of %s below it.\n\n", PROG,
           report_count(n, x, sizeof x), report_bytes((double)def_stack, y, sizeof y),
           report_bytes((double)def_guard, z, sizeof z));
    for (int i = 0; i < 4; i++)
        if (threads_measure(tid, n, stack[i], &c[i]) != 0) {
            int err = errno;

            free(tid);
            if (err == ENOMEM)
                cli_oom(PROG, "starting the threads");
            fprintf(stderr, "%s: starting %llu threads (%s stack): %s\n", PROG,
                    (unsigned long long)n, name[i], strerror(err));
            return 1;
        }
    free(tid);

    printf("  %-22s %31s  %18s\n", "", "parked, per thread", "after the join");
    printf("  %-22s %11s %9s %7s %9s  %11s %6s\n", "stack", "VmSize", pages ? "VmRSS" : "", "allocs",
           "bytes", "VmSize", "frees");
    for (int i = 0; i < 4; i++)
        row(name[i], n, &c[i]);
    return 0;
}
