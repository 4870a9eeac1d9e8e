/* spawn.c: starting a process from a big one (spawner.h). The parent writes a buffer, starts
 * /bin/true five ways (fork + execve, vfork + execve, posix_spawn, system(), popen()),
 * then writes the buffer again one byte a page: its minor faults and the buffer's
 * Private_Dirty tell which ways copied the page tables (the frames the writes kept, which
 * /proc/self/pagemap shows root alone, are test_spawn.c's).
 * Then each way's child status: exit 0, exit 1, and a program that does not exist.
 * --tables prints VmPTE as the buffer is written, and a forked child's; --time times the
 * starts, in rounds, at three sizes of buffer, and with huge pages.
 *
 *   spawn [MIB]            a buffer of MIB MiB (default 256)
 *   spawn --tables [MIB]   the page tables of a buffer of MIB MiB (default 256)
 *   spawn --time [MIB]     starts timed with 0, MIB / 4 and MIB MiB written (default 256)
 *   spawn --once WAY       start /bin/true once, one way (fork, vfork, posix_spawn,
 *                          system, popen), and wait for it: 02_memstats/clones.sh runs it
 *                          under strace to show the system call each way makes
 *
 * make spawn-02 runs it. */
#include <errno.h>
#include <fcntl.h>
#include <gnu/libc-version.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "hugepage.h"
#include "procfs.h"
#include "report.h"
#include "spawner.h"

#define PROG "spawn"
#define DEFAULT_MIB 256
#define MAX_MIB 4096
#define MISSING "/nonexistent/program"
#define TIME_ROUNDS 5 /* rounds of each way at each size, the ways alternated */
#define TIME_RUNS 20  /* starts a round: the round's figure is their median */

static size_t page;

static void fail(const char *what)
{
    int err = errno;

    if (err == ENOMEM)
        cli_oom(PROG, what);
    fprintf(stderr, "%s: %s: %s\n", PROG, what, strerror(err));
    exit(1);
}

static void row(const char *way, const char *when, const struct spawn_faults *f)
{
    char a[32], b[32], c[32];

    printf("  %-16s %-16s %8s %7.2f %10s %10s\n", way, when, report_count(f->faults, a, sizeof a),
           (double)f->faults / (double)f->pages, report_bytes((double)f->dirty_before, b, sizeof b),
           report_bytes((double)f->dirty_after, c, sizeof c));
}

static void faults(size_t bytes)
{
    struct spawn_faults f;
    char a[32], b[32], c[32];

    printf("%s: starting %s from a process with a big buffer. glibc %s. The parent writes a\n"
           "buffer of %s (%s pages of %s), starts the child and waits for it, then\n"
           "writes every page again, one byte each: its minor faults (getrusage), and the\n"
           "buffer's Private_Dirty (smaps) before and after those writes. THP off.\n\n",
           PROG, SPAWN_TRUE, gnu_get_libc_version(), report_bytes((double)bytes, a, sizeof a),
           report_count(bytes / page, b, sizeof b), report_bytes((double)page, c, sizeof c));
    printf("  %-16s %-16s %8s %7s %21s\n", "", "the parent writes", "faults", "a page",
           "Private_Dirty");
    printf("  %-16s %-16s %8s %7s %10s %10s\n", "way", "", "", "", "before", "after");
    cli_flush_stdout();
    if (spawn_parent_faults(SPAWN_FORK, SPAWN_BEFORE_EXEC, bytes, &f) != 0)
        fail("fork, the child before its exec");
    row(spawn_way_name(SPAWN_FORK), "before its exec", &f);
    for (int way = 0; way < SPAWN_WAYS; way++) {
        if (spawn_parent_faults((enum spawn_way)way, SPAWN_REAPED, bytes, &f) != 0)
            fail(spawn_way_name((enum spawn_way)way));
        row(spawn_way_name((enum spawn_way)way), "after the reap", &f);
    }
    cli_flush_stdout();
}

/* "exit 0", "killed by 9", or the error of a start that failed. */
static void outcome(int rc, int err, int status, char *buf, size_t size)
{
    if (rc != 0)
        snprintf(buf, size, "error %s", strerrorname_np(err) ? strerrorname_np(err) : "?");
    else if (WIFEXITED(status))
        snprintf(buf, size, "exit %d", WEXITSTATUS(status));
    else
        snprintf(buf, size, "signal %d", WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

static void statuses(void)
{
    static const char *const progs[3][2] = {{SPAWN_TRUE, NULL}, {SPAWN_FALSE, NULL}, {MISSING, NULL}};
    char out[3][48];
    int quiet = open("/dev/null", O_WRONLY | O_CLOEXEC), saved = -1;

    printf("\nwhat each way reports: the child's wait status, or the start's own error\n");
    printf("  %-16s %-12s %-12s %s\n", "way", SPAWN_TRUE, SPAWN_FALSE, MISSING);
    for (int way = 0; way < SPAWN_WAYS; way++) {
        cli_flush_stdout(); /* nothing buffered for a child to write again */
        for (int i = 0; i < 3; i++) {
            int status = -1, rc, err;

            /* the shell's "not found" goes to stderr: not this program's line */
            if (i == 2 && quiet >= 0) {
                fflush(stderr);
                saved = dup(STDERR_FILENO);
                dup2(quiet, STDERR_FILENO);
            }
            rc = spawn_run((enum spawn_way)way, progs[i], &status);
            err = errno;
            if (saved >= 0) {
                dup2(saved, STDERR_FILENO);
                close(saved);
                saved = -1;
            }
            if (rc != 0 && (err == ENOMEM || i < 2)) {
                errno = err;
                fail(spawn_way_name((enum spawn_way)way));
            }
            outcome(rc, err, status, out[i], sizeof out[i]);
        }
        printf("  %-16s %-12s %-12s %s\n", spawn_way_name((enum spawn_way)way), out[0], out[1], out[2]);
    }
    if (quiet >= 0)
        close(quiet);
}

/* ---- --tables ---- */

static void tables(size_t bytes)
{
    struct spawn_tables t;
    char a[32], b[32], c[32], d[32];
    uint64_t quarter = bytes / 4 / page * page;

    if (spawn_tables_measure(bytes, &t) != 0)
        fail("the page tables");
    printf("%s: the page tables of a buffer of %s (%s pages), in a region aligned to\n"
           "%s, THP off: VmPTE (/proc/self/status) as the parent writes it, and a forked\n"
           "child's. A PTE table (4 KiB) maps 2 MiB, a PMD table 1 GiB.\n\n",
           PROG, report_bytes((double)bytes, a, sizeof a), report_count(t.pages, b, sizeof b),
           report_bytes((double)SPAWN_TABLE_SPAN, c, sizeof c));
    printf("  %-34s %11s %11s %13s\n", "the parent, written", "VmPTE", "gained", "tables needed");
    printf("  %-34s %11s %11s %13s\n", "nothing", report_bytes((double)t.before, a, sizeof a), "", "");
    snprintf(d, sizeof d, "its first quarter, %s", report_bytes((double)quarter, c, sizeof c));
    printf("  %-34s %11s %11s %13s\n", d, report_bytes((double)t.quarter, a, sizeof a),
           report_bytes((double)(t.quarter - t.before), b, sizeof b),
           report_bytes((double)(spawn_table_pages(quarter) * page), c, sizeof c));
    snprintf(d, sizeof d, "all of it, %s", report_bytes((double)bytes, c, sizeof c));
    printf("  %-34s %11s %11s %13s\n", d, report_bytes((double)t.whole, a, sizeof a),
           report_bytes((double)(t.whole - t.before), b, sizeof b),
           report_bytes((double)(spawn_table_pages(bytes) * page), c, sizeof c));
    printf("  %-34s %11s\n", "a child, forked then", report_bytes((double)t.child, a, sizeof a));
    printf("  %-34s %11s\n", "the parent, the buffer unmapped", report_bytes((double)t.after, a, sizeof a));
}

/* ---- --time ---- */

/* One way at one size: each round's median start (report_median), sorted, and their
 * median. */
struct timed {
    double round[TIME_ROUNDS];
    double median;
};

/* Rounds of every way with `bytes` written in a region given advice (HUGEPAGE_NONE with
 * THP off, or HUGEPAGE_YES with THP as the machine has it); H, its spans mapped huge. */
static void time_size(size_t bytes, enum hugepage_advice advice, const enum spawn_way *ways, int nways,
                      struct timed *out, uint64_t *h)
{
    struct hugepage_region r = {0};
    double runs[TIME_RUNS];
    int was = advice == HUGEPAGE_YES ? -1 : procfs_thp_off();

    *h = 0;
    if (bytes > 0) {
        uint64_t rss;

        if (hugepage_region_map(&r, (bytes + SPAWN_TABLE_SPAN - 1) / SPAWN_TABLE_SPAN, SPAWN_TABLE_SPAN,
                                advice) != 0)
            fail("--time: the buffer");
        hugepage_touch(r.p, bytes, page);
        if (hugepage_smaps(r.p, &rss, h) == 0)
            *h /= hugepage_size_read(HUGEPAGE_PMD_SIZE);
    }
    for (int round = 0; round < TIME_ROUNDS; round++)
        for (int i = 0; i < nways; i++) {
            if (spawn_time(ways[i], TIME_RUNS, runs) != 0)
                fail(spawn_way_name(ways[i]));
            out[i].round[round] = report_median(runs, TIME_RUNS);
        }
    for (int i = 0; i < nways; i++)
        out[i].median = report_median(out[i].round, TIME_ROUNDS);
    hugepage_region_unmap(&r);
    if (was != -1)
        procfs_thp_restore(was);
}

static void time_row(const char *what, const struct timed *t)
{
    char a[32], b[32], c[32];

    printf("  %-24s %10s (%s - %s)\n", what, report_duration(t->median, a, sizeof a),
           report_duration(t->round[0], b, sizeof b), report_duration(t->round[TIME_ROUNDS - 1], c, sizeof c));
}

/* fork against posix_spawn: the ratio of the medians, and whether the rounds allow it. */
static void ratio(const struct timed *fork_, const struct timed *spawn_)
{
    const double *f = fork_->round, *s = spawn_->round;

    if (f[0] <= s[TIME_ROUNDS - 1] && s[0] <= f[TIME_ROUNDS - 1])
        printf("  fork / posix_spawn: the rounds overlap: no measurable difference\n");
    else
        printf("  fork / posix_spawn, the medians: %.1fx (%.1f - %.1f, round against round)\n",
               fork_->median / spawn_->median, f[0] / s[TIME_ROUNDS - 1], f[TIME_ROUNDS - 1] / s[0]);
}

static void timing(size_t bytes)
{
    static const enum spawn_way ways[SPAWN_WAYS] = {SPAWN_FORK, SPAWN_VFORK, SPAWN_POSIX_SPAWN,
                                                    SPAWN_SYSTEM, SPAWN_POPEN};
    const size_t sizes[3] = {0, bytes / 4 / page * page, bytes};
    struct timed t[SPAWN_WAYS];
    char a[32];
    uint64_t h;

    printf("%s: starting %s and waiting for it, timed (wall time). Each figure: the median of\n"
           "%d rounds, each round the median of %d starts, the ways alternated (min - max of the\n"
           "rounds). The parent has written a buffer of each size first; THP off.\n",
           PROG, SPAWN_TRUE, TIME_ROUNDS, TIME_RUNS);
    cli_flush_stdout();
    for (int s = 0; s < 3; s++) {
        time_size(sizes[s], HUGEPAGE_NONE, ways, SPAWN_WAYS, t, &h);
        printf("\n  written: %s\n", report_bytes((double)sizes[s], a, sizeof a));
        for (int i = 0; i < SPAWN_WAYS; i++)
            time_row(spawn_way_name(ways[i]), &t[i]);
        ratio(&t[0], &t[2]);
        cli_flush_stdout();
    }
    {
        static const enum spawn_way two[2] = {SPAWN_FORK, SPAWN_POSIX_SPAWN};
        size_t span = hugepage_size_read(HUGEPAGE_PMD_SIZE);
        char b[32], c[32];

        time_size(bytes, HUGEPAGE_YES, two, 2, t, &h);
        printf("\n  written: %s given MADV_HUGEPAGE, THP as the machine has it: H = %llu of %s\n"
               "  spans mapped huge (AnonHugePages / %s)\n", report_bytes((double)bytes, a, sizeof a),
               (unsigned long long)h, report_count((bytes + span - 1) / span, b, sizeof b),
               report_bytes((double)span, c, sizeof c));
        for (int i = 0; i < 2; i++)
            time_row(spawn_way_name(two[i]), &t[i]);
        ratio(&t[0], &t[1]);
    }
}

/* ---- --once ---- */

static const char *const once_words[SPAWN_WAYS] = {"fork", "vfork", "posix_spawn", "system",
                                                   "popen"};

static int once(const char *word)
{
    static const char *const argv[] = {SPAWN_TRUE, NULL};
    int status;

    for (int w = 0; w < SPAWN_WAYS; w++) {
        if (strcmp(word, once_words[w]) != 0)
            continue;
        if (spawn_run((enum spawn_way)w, argv, &status) != 0)
            fail(spawn_way_name((enum spawn_way)w));
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            fprintf(stderr, "%s: %s: %s did not exit 0\n", PROG, spawn_way_name((enum spawn_way)w),
                    SPAWN_TRUE);
            exit(1);
        }
        return 0;
    }
    fprintf(stderr, "%s: WAY must be one of fork, vfork, posix_spawn, system, popen, got '%s'\n",
            PROG, word);
    exit(2);
}

int main(int argc, char **argv)
{
    uint64_t mib = DEFAULT_MIB;

    cli_close_stdout_at_exit(PROG);
    page = (size_t)sysconf(_SC_PAGESIZE);
    if (cli_flag(argc, argv, "--once")) {
        cli_max_args(PROG, argc, 2, "--once WAY");
        if (argc != 3) {
            fprintf(stderr, "%s: --once needs a WAY: fork, vfork, posix_spawn, system or popen\n",
                    PROG);
            exit(2);
        }
        return once(argv[2]);
    }
    if (cli_flag(argc, argv, "--tables") || cli_flag(argc, argv, "--time")) {
        int time = strcmp(argv[1], "--time") == 0;

        cli_max_args(PROG, argc, 2, time ? "--time [MIB]" : "--tables [MIB]");
        if (argc == 3)
            mib = cli_u64(PROG, "MIB", argv[2], 1, MAX_MIB);
        if (time)
            timing((size_t)mib << 20);
        else
            tables((size_t)mib << 20);
        return 0;
    }
    cli_max_args(PROG, argc, 1, "[MIB], --tables [MIB], --time [MIB] or --once WAY");
    if (argc == 2)
        mib = cli_u64(PROG, "MIB", argv[1], 1, MAX_MIB);
    faults((size_t)mib << 20);
    statuses();
    return 0;
}
