/* faults.c: page faults on the hot path (faults.h). A fresh mapping of MIB MiB written one
 * byte a page, twice: the first pass faults on every page, the second on none. Then the
 * same mapping prepared before its pass, each way: MAP_POPULATE, MADV_POPULATE_WRITE,
 * MADV_POPULATE_READ, a write to every page, MADV_WILLNEED, mlock: the faults of the
 * preparing step and of the pass after it. Then a request loop on glibc's malloc, a block
 * of 1 MiB and one of 64 MiB each request, every page written: the faults of each request,
 * as glibc serves it, with mmap turned off by mallopt, and with one block kept; each in a
 * child process, so that mallopt stays there. Counts only; --time times the passes and
 * the preparing steps instead, in rounds. make faults-01.
 *
 *   faults [MIB]          the region's size in MiB (default 64, 1 to 1,024)
 *   faults --time [MIB]   the first and second passes, and each preparing step, timed:
 *                         the median of 5 rounds, a fresh mapping each, and the spread */
#include <errno.h>
#include <gnu/libc-version.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "cli.h"
#include "faults.h"
#include "report.h"

#define PROG "faults"
#define MIB ((size_t)1 << 20)
#define DEFAULT_MIB 64
#define MAX_MIB 1024
#define REQUESTS 4 /* the first requests, then the steady state */
#define ROUNDS 5

static size_t page;

/* "EINVAL", "ENOMEM", "EPERM", or strerror's words */
static const char *errno_name(int err)
{
    switch (err) {
    case EINVAL:
        return "EINVAL";
    case ENOMEM:
        return "ENOMEM";
    case EPERM:
        return "EPERM";
    default:
        return strerror(err);
    }
}

static void mapping_failed(const char *what, size_t bytes)
{
    if (errno == ENOMEM)
        cli_oom(PROG, what);
    fprintf(stderr, "%s: %s of %zu MiB: %s\n", PROG, what, bytes / MIB, strerror(errno));
    exit(1);
}

/* "RLIMIT_MEMLOCK 8.0 MiB" or "RLIMIT_MEMLOCK unlimited" */
static const char *memlock(char *buf, size_t size)
{
    struct rlimit lim;
    char b[32];

    if (getrlimit(RLIMIT_MEMLOCK, &lim) != 0 || lim.rlim_cur == RLIM_INFINITY)
        snprintf(buf, size, "RLIMIT_MEMLOCK unlimited");
    else
        snprintf(buf, size, "RLIMIT_MEMLOCK %s", report_bytes((double)lim.rlim_cur, b, sizeof b));
    return buf;
}

/* ---- the counts ---- */

static void first_touch(size_t bytes)
{
    struct faults_touch t;
    char a[32], b[32], c[32];

    if (faults_first_touch(bytes, &t) != 0)
        mapping_failed("mapping the region", bytes);
    printf("1. A fresh anonymous mapping of %zu MiB (%s pages), one byte written a page, twice\n",
           bytes / MIB, report_count(t.pages, a, sizeof a));
    printf("  %-36s %12s\n", "pass", "page faults");
    printf("  %-36s %12s   the kernel maps a zeroed page at each first write\n", "first",
           report_count(t.first, b, sizeof b));
    printf("  %-36s %12s   every page is there\n", "second", report_count(t.second, c, sizeof c));
}

static const char *const way_note[FAULTS_WAYS] = {
    "the pass pays",
    "the mmap call maps every page",
    "a kernel without it: EINVAL",
    "the zero page, read-only: each write faults again",
    "at start-up, by hand",
    "advice for files: nothing mapped",
    "every page mapped and locked",
};

static void up_front(size_t bytes)
{
    struct faults_prepared p;
    char a[32], b[32], lim[64];

    printf("\n2. Paying up front: a fresh mapping of %zu MiB prepared, then one byte written a page\n",
           bytes / MIB);
    printf("  %-36s %12s %12s\n", "prepared by", "in the step", "in the pass");
    for (int w = 0; w < FAULTS_WAYS; w++) {
        if (faults_prepare(bytes, (enum faults_way)w, &p) != 0)
            mapping_failed("mapping the region", bytes);
        if (p.err != 0 && w == FAULTS_MLOCK)
            printf("  %-36s %12s %12s   refused, %s: the region is past %s\n",
                   faults_way_name((enum faults_way)w), report_count(p.prep_faults, a, sizeof a),
                   report_count(p.pass_faults, b, sizeof b), errno_name(p.err), memlock(lim, sizeof lim));
        else if (p.err != 0)
            printf("  %-36s %12s %12s   refused, %s: not on this kernel\n", faults_way_name((enum faults_way)w),
                   report_count(p.prep_faults, a, sizeof a), report_count(p.pass_faults, b, sizeof b),
                   errno_name(p.err));
        else
            printf("  %-36s %12s %12s   %s\n", faults_way_name((enum faults_way)w),
                   report_count(p.prep_faults, a, sizeof a), report_count(p.pass_faults, b, sizeof b),
                   way_note[w]);
    }
    printf("  mlock keeps the pages until munlock or munmap; %s here\n", memlock(lim, sizeof lim));
}

/* "1 mmap, 3 heap" */
static void where(const struct faults_requests *r, char *buf, size_t size)
{
    unsigned mm = 0;

    for (unsigned i = 0; i < r->n; i++)
        mm += r->mmapped[i];
    if (mm == 0 || mm == r->n)
        snprintf(buf, size, "%s", mm ? "mmap each" : "heap each");
    else if (r->mmapped[0] && mm == 1)
        snprintf(buf, size, "mmap, then heap");
    else
        snprintf(buf, size, "%u mmap, %u heap", mm, r->n - mm);
}

/* "1 each", "1, then 0" */
static void allocs(const struct faults_requests *r, char *buf, size_t size)
{
    bool same = true;

    for (unsigned i = 1; i < r->n; i++)
        same &= r->d[i].mallocs == r->d[0].mallocs;
    if (same)
        snprintf(buf, size, "%llu each", (unsigned long long)r->d[0].mallocs);
    else
        snprintf(buf, size, "%llu, then %llu", (unsigned long long)r->d[0].mallocs,
                 (unsigned long long)r->d[r->n - 1].mallocs);
}

static void requests(void)
{
    static const struct {
        size_t bytes;
        enum faults_policy policy;
    } rows[] = {
        {MIB, FAULTS_MALLOC_FREE},   {64 * MIB, FAULTS_MALLOC_FREE}, {MIB, FAULTS_NO_MMAP},
        {64 * MIB, FAULTS_NO_MMAP},  {64 * MIB, FAULTS_KEPT},
    };
    bool intact = true;
    size_t off = 0;
    char a[32], w[48], n[32];

    printf("\n3. A request loop on glibc's malloc: each request takes a block of B bytes, writes a\n"
           "byte in every page of it, reads them back and frees it. Each row in a child process\n"
           "(mallopt changes the process for good); the page faults of each request:\n");
    printf("  %-6s %-45s", "B", "the block");
    for (int i = 0; i < REQUESTS; i++)
        printf(" %7s%d", "#", i + 1);
    printf("  %-15s %s\n", "from", "allocs");
    cli_flush_stdout(); /* before the children: none of them inherits lines not written */
    for (size_t k = 0; k < sizeof rows / sizeof rows[0]; k++) {
        struct faults_requests r;

        if (faults_requests_child(rows[k].bytes, REQUESTS, rows[k].policy, &r) != 0) {
            if (errno == ENOMEM)
                cli_oom(PROG, "allocating a request's block");
            fprintf(stderr, "%s: the request loop's child: %s\n", PROG, strerror(errno));
            exit(1);
        }
        intact &= r.intact;
        if (r.mmapped[0])
            off = r.offset[0];
        where(&r, w, sizeof w);
        allocs(&r, n, sizeof n);
        snprintf(a, sizeof a, "%zu MiB", rows[k].bytes / MIB);
        printf("  %-6s %-45s", a, faults_policy_name(rows[k].policy));
        for (int i = 0; i < REQUESTS; i++)
            printf(" %8s", report_count(r.faults[i], a, sizeof a));
        printf("  %-15s %s\n", w, n);
        cli_flush_stdout();
    }
    if (off != 0)
        printf("  an mmap'd block starts %zu B into its first page, after the headers (glibc's and\n"
           "  the counting allocator's): 1 MiB spans %s pages, 64 MiB %s\n", off,
               report_count(faults_pages_spanned(off, MIB), a, sizeof a),
               report_count(faults_pages_spanned(off, 64 * MIB), n, sizeof n));
    printf("  every byte read back as written: %s\n", intact ? "yes" : "NO (a bug)");
    if (!intact)
        exit(1);
}

/* ---- --time ---- */

/* ns[0..ROUNDS) sorted, as a report_run: the median and the spread. */
static struct report_run run_of(const char *name, double *ns)
{
    double median = report_median(ns, ROUNDS);

    return (struct report_run){.name = name, .ns = median, .ns_min = ns[0],
                               .ns_max = ns[ROUNDS - 1], .runs = ROUNDS};
}

static void timing(size_t bytes)
{
    static const enum faults_way timed[] = {FAULTS_MAP_POPULATE, FAULTS_POPULATE_WRITE,
                                            FAULTS_WRITE_FIRST, FAULTS_MLOCK};
    enum { NTIMED = sizeof timed / sizeof timed[0] };
    double first[ROUNDS], second[ROUNDS], prep[NTIMED][ROUNDS], pass[NTIMED][ROUNDS];
    int err[NTIMED] = {0};
    struct report_run r1, r2;
    char a[48], b[48], c[32];
    uint64_t pages = bytes / page;

    printf("A fresh anonymous mapping of %zu MiB (%s pages of %zu KiB, transparent huge pages off\n"
           "for this process), %d rounds of each measurement, alternated, a fresh mapping each:\n"
           "the median and the spread (fastest - slowest round)\n\n",
           bytes / MIB, report_count(pages, c, sizeof c), page / 1024, ROUNDS);
    cli_flush_stdout();
    for (int k = 0; k < ROUNDS; k++) {
        struct faults_touch t;

        if (faults_first_touch(bytes, &t) != 0)
            mapping_failed("mapping the region", bytes);
        first[k] = t.first_ns / (double)pages;
        second[k] = t.second_ns / (double)pages;
        for (int w = 0; w < NTIMED; w++) {
            struct faults_prepared p;

            if (faults_prepare(bytes, timed[w], &p) != 0)
                mapping_failed("mapping the region", bytes);
            prep[w][k] = p.prep_ns;
            pass[w][k] = p.pass_ns / (double)pages;
            err[w] = p.err;
        }
    }
    r1 = run_of("first", first);
    r2 = run_of("second", second);
    printf("one byte written a page, per page\n");
    printf("  %-36s %s\n", "first pass (a fault each)", report_time_spread(&r1, a, sizeof a));
    printf("  %-36s %s\n", "second pass", report_time_spread(&r2, b, sizeof b));
    printf("  first / second: %s", report_time_ratio(&r1, &r2, c, sizeof c));
    if (report_runs_overlap(&r1, &r2))
        printf(", the rounds overlap: no measurable difference\n");
    else
        printf(" (round against round: %.0f - %.0fx)\n", r1.ns_min / r2.ns_max, r1.ns_max / r2.ns_min);

    printf("\nthe preparing step: the whole region, and per page; then the pass after it, per page\n");
    for (int w = 0; w < NTIMED; w++) {
        struct report_run s = run_of(faults_way_name(timed[w]), prep[w]),
                          q = run_of(faults_way_name(timed[w]), pass[w]);

        if (err[w] != 0) {
            printf("  %-36s refused, %s: not timed\n", faults_way_name(timed[w]), errno_name(err[w]));
            continue;
        }
        printf("  %-30s %-25s %-9s %s\n", faults_way_name(timed[w]), report_time_spread(&s, a, sizeof a),
               report_duration(s.ns / (double)pages, c, sizeof c), report_time_spread(&q, b, sizeof b));
    }
}

int main(int argc, char **argv)
{
    size_t bytes = DEFAULT_MIB * MIB;

    cli_close_stdout_at_exit(PROG);
    page = (size_t)sysconf(_SC_PAGESIZE);
    if (cli_flag(argc, argv, "--time")) {
        cli_max_args(PROG, argc, 2, "--time [MIB]");
        if (argc == 3)
            bytes = (size_t)cli_u64(PROG, "MIB", argv[2], 1, MAX_MIB) * MIB;
        timing(bytes);
        return 0;
    }
    cli_max_args(PROG, argc, 1, "[MIB] or --time [MIB]");
    if (argc == 2)
        bytes = (size_t)cli_u64(PROG, "MIB", argv[1], 1, MAX_MIB) * MIB;

    printf("glibc %s: page faults (minor faults, getrusage RUSAGE_THREAD), %zu KiB pages\n"
           "(transparent huge pages off for this process)\n\n", gnu_get_libc_version(), page / 1024);
    first_touch(bytes);
    up_front(bytes);
    cli_flush_stdout();
    requests();
    return 0;
}
