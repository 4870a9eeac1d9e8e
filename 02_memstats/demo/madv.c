/* madv.c: giving pages back (madv.h): MADV_DONTNEED, MADV_FREE, and why RSS does not fall.
 * It maps a region of MIB MiB on its own, THP off, writes a byte in each page, and takes it
 * through MADV_DONTNEED and MADV_FREE, a read pass and a write pass after each, printing the
 * region's Rss and LazyFree (/proc/self/smaps) and the minor faults of each step
 * (madv_measure). Then glibc's malloc giving pages back: a block past the mmap threshold
 * freed, and small blocks freed then malloc_trim(0), with the whole process's Anonymous and
 * LazyFree (/proc/self/smaps_rollup) after each (madv_glibc). --pageout instead shows what
 * MADV_PAGEOUT does after MADV_FREE, and to dirty pages, with the region's Swap: figures
 * that depend on swap.
 * --time instead times the madvise and the write pass after it, MADV_DONTNEED against
 * MADV_FREE, in rounds (madv_time).
 *
 *   madv [MIB]             a region of MIB MiB (default 64), and as many small blocks
 *   madv --pageout [MIB]   MADV_PAGEOUT on the region after MADV_FREE, and on dirty pages
 *   madv --time [MIB]      the two advices timed over MIB MiB (default 64)
 *
 * make madv-02 runs it. */
#include <errno.h>
#include <gnu/libc-version.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <valgrind/valgrind.h>

#include "cli.h"
#include "madv.h"
#include "memdebug.h"
#include "report.h"

#define PROG "madv"
#define DEFAULT_MIB 64
#define MAX_MIB 1024 /* every page of it written, then held while it is measured */
#define TIME_ROUNDS 5 /* rounds each way, alternated */

static size_t page;

/* ---- the region ---- */

static void row(const struct madv_report *r, enum madv_steps s, const char *suffix, int swap)
{
    const struct madv_step *st = &r->step[s];
    char a[32], b[32], c[32], d[32], e[32], f[32], name[64];
    int read = s == MADV_DONTNEED_READ || s == MADV_FREE_READ || s == MADV_PAGEOUT_READ;

    snprintf(name, sizeof name, "%s%s", madv_step_name(s), suffix);
    printf("  %-34s %8s %10s %10s", name, report_count(st->faults, a, sizeof a),
           report_bytes((double)st->mem.rss, b, sizeof b), report_bytes((double)st->mem.lazyfree, c, sizeof c));
    if (swap)
        printf(" %8s", report_bytes((double)st->mem.swap, d, sizeof d));
    if (read)
        printf(" %9s %9s", report_count(st->old, e, sizeof e), report_count(st->zeros, f, sizeof f));
    printf("\n");
}

static const char *verdict(int ok)
{
    return ok ? "yes" : "NO (a bug)";
}

static void measure(size_t mib, struct madv_report *r)
{
    if (madv_measure(mib << 20, r) != 0) {
        fprintf(stderr, "%s: a region of %zu MiB: %s\n", PROG, mib, strerror(errno));
        exit(1);
    }
}

/* Steps 1 to 3: a byte a page, MADV_DONTNEED, MADV_FREE; nothing here depends on swap. */
static int region(size_t mib)
{
    struct madv_report r;
    const struct madv_step *s = r.step;
    char a[32], b[32], c[32];
    uint64_t all, half;
    int dontneed, freed;

    measure(mib, &r);
    all = r.pages * page;
    half = r.half * page;
    printf("A region of %s (%s pages of %s), mapped on its own, THP off. After each step\n"
           "the region's Rss and LazyFree (/proc/self/smaps), the minor faults the step took\n"
           "(getrusage), and for a read of each page, how many found the byte last written\n"
           "there (old) and how many 0:\n\n",
           report_bytes((double)all, a, sizeof a), report_count(r.pages, b, sizeof b),
           report_bytes((double)page, c, sizeof c));
    printf("  %-34s %8s %10s %10s %9s %9s\n", "step", "faults", "Rss", "LazyFree", "old", "0");
    row(&r, MADV_WRITTEN, "", 0);
    printf("MADV_DONTNEED: the pages dropped now\n");
    row(&r, MADV_DONTNEED_CALL, "", 0);
    row(&r, MADV_DONTNEED_READ, "", 0);
    row(&r, MADV_DONTNEED_WRITE, "", 0);
    printf("MADV_FREE: the pages marked lazily free, taken under pressure\n");
    row(&r, MADV_FREE_CALL, "", 0);
    row(&r, MADV_FREE_READ, "", 0);
    row(&r, MADV_FREE_WRITE, "", 0);

    dontneed = s[MADV_DONTNEED_CALL].mem.rss == 0 && s[MADV_DONTNEED_READ].zeros == r.pages &&
               s[MADV_DONTNEED_WRITE].faults == r.pages;
    freed = s[MADV_FREE_CALL].mem.rss == all && s[MADV_FREE_CALL].mem.lazyfree == all &&
            s[MADV_FREE_WRITE].faults == 0 && s[MADV_FREE_WRITE].mem.lazyfree == all - half;
    printf("\n  MADV_DONTNEED: Rss 0 at once, every page reads 0, a fault a page to write: %s\n",
           verdict(dontneed));
    printf("  MADV_FREE: Rss unchanged, every page in LazyFree, no fault to write, and a\n"
           "  write takes its page out of LazyFree: %s\n", verdict(freed));
    return dontneed && freed;
}

/* Step 4: MADV_PAGEOUT after MADV_FREE, then on dirty pages; the figures depend on swap. */
static int pageout(size_t mib)
{
    struct madv_report r;
    const struct madv_step *s = r.step;
    char a[32], b[32], c[32], d[32];
    uint64_t all, half;
    int lazy, written_back;

    measure(mib, &r);
    all = r.pages * page;
    half = r.half * page;
    printf("A region of %s (%s pages of %s), mapped on its own, THP off, written, told\n"
           "MADV_DONTNEED, written, told MADV_FREE, and its first half written again (the\n"
           "first rows); then reclaimed on demand. The region's Rss, LazyFree and Swap, the\n"
           "faults, and what each page reads. This machine's swap: %s.\n\n",
           report_bytes((double)all, a, sizeof a), report_count(r.pages, b, sizeof b),
           report_bytes((double)page, c, sizeof c),
           r.swap_total ? report_bytes((double)r.swap_total, d, sizeof d) : "none");
    printf("  %-34s %8s %10s %10s %8s %9s %9s\n", "step", "faults", "Rss", "LazyFree", "Swap", "old", "0");
    row(&r, MADV_FREE_CALL, "", 1);
    row(&r, MADV_FREE_WRITE, "", 1);
    if (r.pageout_err != 0) {
        printf("MADV_PAGEOUT refused: %s (Linux 5.4 and later have it): no reclaim on demand\n",
               strerror(r.pageout_err));
        return 1;
    }
    printf("MADV_PAGEOUT: reclaimed now, as memory pressure would\n");
    row(&r, MADV_PAGEOUT_CALL, "", 1);
    row(&r, MADV_PAGEOUT_READ, "", 1);
    row(&r, MADV_PAGEOUT_WRITE, "", 1);
    row(&r, MADV_PAGEOUT_DIRTY, ", all dirty", 1);
    lazy = s[MADV_PAGEOUT_CALL].mem.lazyfree == 0 && s[MADV_PAGEOUT_READ].zeros == r.pages - r.half &&
           s[MADV_PAGEOUT_WRITE].mem.rss + s[MADV_PAGEOUT_WRITE].mem.swap == all;
    written_back = r.swap_total == 0 ? s[MADV_PAGEOUT_CALL].mem.rss == half && s[MADV_PAGEOUT_DIRTY].mem.rss == all
                                     : s[MADV_PAGEOUT_CALL].mem.rss + s[MADV_PAGEOUT_CALL].mem.swap == half &&
                                           s[MADV_PAGEOUT_DIRTY].mem.rss + s[MADV_PAGEOUT_DIRTY].mem.swap == all;
    printf("\n  the lazily free pages dropped, and they read 0: %s\n", verdict(lazy));
    if (r.swap_total == 0)
        printf("  without swap the dirty pages stay: Rss = the pages written: %s\n", verdict(written_back));
    else
        printf("  with swap each dirty page is resident or in swap: Rss + Swap = the pages\n"
               "  written: %s\n", verdict(written_back));
    return lazy && written_back;
}

/* ---- glibc's malloc ---- */

/* Whether glibc's malloc serves the blocks: not under Valgrind, nor in the ASan build. */
static int glibc_malloc(void)
{
#ifdef MEMDEBUG_ASAN
    return 0;
#else
    return !RUNNING_ON_VALGRIND;
#endif
}

static void glibc_row(const char *what, const struct madv_rollup *m, const struct madv_rollup *start)
{
    char a[32], b[32];

    printf("  %-42s %12s %10s\n", what,
           report_bytes((double)m->anon - (double)start->anon, a, sizeof a),
           report_bytes((double)m->lazyfree, b, sizeof b));
}

static int glibc(size_t mib)
{
    size_t blocks = (mib << 20) / MADV_GLIBC_SMALL;
    struct madv_glibc g;
    char a[32], b[32], what[64];
    int ok;

    if (madv_glibc(blocks, mib << 20, &g) != 0) {
        if (errno == ENOMEM)
            cli_oom(PROG, "allocating the blocks");
        fprintf(stderr, "%s: glibc's malloc: %s\n", PROG, strerror(errno));
        exit(1);
    }
    printf("\nglibc's malloc (glibc %s) giving pages back: the whole process's Anonymous, a\n"
           "change from the start, and LazyFree (/proc/self/smaps_rollup) after each step:\n\n",
           gnu_get_libc_version());
    printf("  %-42s %12s %10s\n", "step", "Anonymous", "LazyFree");
    snprintf(what, sizeof what, "a block of %s written, a byte a page", report_bytes((double)(mib << 20), a, sizeof a));
    glibc_row(what, &g.big_written, &g.start);
    glibc_row("freed (past the mmap threshold: munmap)", &g.big_freed, &g.start);
    snprintf(what, sizeof what, "%s blocks of %s B written", report_count(blocks, a, sizeof a),
             report_count(MADV_GLIBC_SMALL, b, sizeof b));
    glibc_row(what, &g.small_written, &g.start);
    glibc_row("all freed but one above them", &g.small_freed, &g.start);
    glibc_row("malloc_trim(0)", &g.trimmed, &g.start);
    ok = g.big_written.lazyfree == 0 && g.big_freed.lazyfree == 0 && g.small_freed.lazyfree == 0 &&
         g.trimmed.lazyfree == 0 && g.trim_rc == 1 && g.trimmed.anon < g.small_freed.anon;
    if (!glibc_malloc()) {
        printf("\n  (%s's malloc, not glibc's, serves every block here: malloc_trim has none\n"
               "  of them to give back)\n", RUNNING_ON_VALGRIND ? "Valgrind" : "AddressSanitizer");
        return 1;
    }
    printf("\n  LazyFree 0 throughout, and malloc_trim(0) gave pages back (returned 1, Anonymous\n"
           "  fell): glibc gives pages back with munmap and MADV_DONTNEED, never MADV_FREE: %s\n",
           verdict(ok));
    return ok;
}

/* ---- --time ---- */

/* One advice's rounds, ns per page, sorted before they are printed. */
struct way {
    const char *name;
    int advice;
    double advise[TIME_ROUNDS], write[TIME_ROUNDS];
    uint64_t faults; /* the write passes' faults, all rounds */
};

static char *spread(const double *v, char *buf, size_t size)
{
    snprintf(buf, size, "%.1f (%.1f - %.1f)", v[TIME_ROUNDS / 2], v[0], v[TIME_ROUNDS - 1]);
    return buf;
}

/* a / b by their medians, its range round against round, and what the rounds allow. */
static void ratio(const char *what, const double *a, const double *b, const char *an, const char *bn)
{
    printf("  %s, %s / %s, the medians: %.2f (%.2f - %.2f, round against round)\n", what, an, bn,
           a[TIME_ROUNDS / 2] / b[TIME_ROUNDS / 2], a[0] / b[TIME_ROUNDS - 1], a[TIME_ROUNDS - 1] / b[0]);
    if (a[0] <= b[TIME_ROUNDS - 1] && b[0] <= a[TIME_ROUNDS - 1])
        printf("    the rounds overlap: no measurable difference\n");
    else
        printf("    the rounds do not overlap: %s %s\n", a[0] > b[TIME_ROUNDS - 1] ? an : bn, "slower");
}

static void timing(size_t mib)
{
    struct way w[2] = {{.name = "MADV_DONTNEED", .advice = MADV_DONTNEED}, {.name = "MADV_FREE", .advice = MADV_FREE}};
    char a[32], b[64], c[64];
    uint64_t pages = (mib << 20) / page;
    int every_page = 1;

    printf("%s: MADV_DONTNEED against MADV_FREE, timed. A region of %s (%s pages of %s),\n"
           "THP off, a byte written in each page; then the madvise timed, then a byte written in\n"
           "each page again timed, with its minor faults (the thread's CPU time, the kernel's\n"
           "included): %d rounds each way, alternated, a fresh region each round. ns per page,\n"
           "median (min - max):\n\n",
           PROG, report_bytes((double)(mib << 20), a, sizeof a), report_count(pages, b, sizeof b),
           report_bytes((double)page, c, sizeof c), TIME_ROUNDS);
    cli_flush_stdout();
    for (int round = 0; round < TIME_ROUNDS; round++)
        for (int i = 0; i < 2; i++) {
            struct madv_timing t;

            if (madv_time(mib << 20, w[i].advice, &t) != 0) {
                fprintf(stderr, "%s: --time: %s on %zu MiB: %s\n", PROG, w[i].name, mib, strerror(errno));
                exit(1);
            }
            w[i].advise[round] = t.advise_ns / (double)t.pages;
            w[i].write[round] = t.write_ns / (double)t.pages;
            w[i].faults += t.faults;
            every_page &= t.pages == pages;
        }
    printf("  %-14s %12s   %-24s %s\n", "advice", "write faults", "madvise, ns a page",
           "write pass, ns a page");
    for (int i = 0; i < 2; i++) {
        qsort(w[i].advise, TIME_ROUNDS, sizeof w[i].advise[0], report_cmp_double);
        qsort(w[i].write, TIME_ROUNDS, sizeof w[i].write[0], report_cmp_double);
        printf("  %-14s %12s   %-24s %s\n", w[i].name, report_count(w[i].faults / TIME_ROUNDS, a, sizeof a),
               spread(w[i].advise, b, sizeof b), spread(w[i].write, c, sizeof c));
    }
    printf("\n");
    ratio("the madvise", w[0].advise, w[1].advise, "MADV_DONTNEED", "MADV_FREE");
    ratio("the write pass after it", w[0].write, w[1].write, "MADV_DONTNEED", "MADV_FREE");
    if (!every_page)
        exit(1);
}

int main(int argc, char **argv)
{
    uint64_t mib = DEFAULT_MIB;
    int ok;

    cli_close_stdout_at_exit(PROG);
    page = (size_t)sysconf(_SC_PAGESIZE);
    if (cli_flag(argc, argv, "--pageout")) {
        cli_max_args(PROG, argc, 2, "--pageout [MIB]");
        if (argc == 3)
            mib = cli_u64(PROG, "MIB", argv[2], 1, MAX_MIB);
        printf("%s: reclaimed on demand, MADV_PAGEOUT.\n", PROG);
        return pageout((size_t)mib) ? 0 : 1;
    }
    if (cli_flag(argc, argv, "--time")) {
        cli_max_args(PROG, argc, 2, "--time [MIB]");
        if (argc == 3)
            mib = cli_u64(PROG, "MIB", argv[2], 1, MAX_MIB);
        timing((size_t)mib);
        return 0;
    }
    cli_max_args(PROG, argc, 1, "[MIB], --pageout [MIB] or --time [MIB]");
    if (argc == 2)
        mib = cli_u64(PROG, "MIB", argv[1], 1, MAX_MIB);
    printf("%s: giving pages back, MADV_DONTNEED, MADV_FREE, and why RSS does not fall.\n", PROG);
    ok = region((size_t)mib);
    cli_flush_stdout();
    ok &= glibc((size_t)mib);
    return ok ? 0 : 1;
}
