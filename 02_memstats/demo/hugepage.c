/* hugepage.c: transparent huge pages (hugepage.h): fewer faults, more memory. It reads the
 * kernel's THP mode, maps a region of SPANS huge-page spans three ways (MADV_NOHUGEPAGE,
 * no advice, MADV_HUGEPAGE), writes one byte in each span, then one in each page, and
 * prints the minor faults and the region's Rss and AnonHugePages after each. Then a
 * malloc'd block of the same size, in a child run without GLIBC_TUNABLES and one run with
 * glibc.malloc.hugetlb=1, which makes glibc's malloc give its mmap'd blocks MADV_HUGEPAGE.
 * --time instead times random reads over a region whose every page is written, in rounds
 * with MADV_NOHUGEPAGE and MADV_HUGEPAGE alternated (hugepage_time_reads): what the TLB
 * makes of huge pages.
 *
 *   hugepage [SPANS]          SPANS spans of the huge page size (default 32: 64 MiB)
 *   hugepage --time [SPANS]   the reads timed over SPANS spans (default 128: 256 MiB)
 *   hugepage --malloc SPANS   the malloc'd block alone, its figures as one line
 *                             (hugepage_figures_format): what the first run starts
 *
 * make hugepage-02 runs it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "hugepage.h"
#include "report.h"

#define PROG "hugepage"
#define DEFAULT_SPANS 32
#define MAX_SPANS 512 /* 1 GiB of 2 MiB spans, every page of it written */
#define TUNABLE "glibc.malloc.hugetlb=1"
#define TIME_SPANS 128 /* --time's region: 256 MiB of 2 MiB spans, 65,536 pages of 4 KiB */
#define TIME_READS 500000 /* random reads a round: under 0.1 s of them */
#define TIME_ROUNDS 5 /* rounds each way, alternated */

static size_t page, span;

static void row(const char *what, const struct hugepage_figures *f, const struct hugepage_figures *all)
{
    char a[32], b[32], c[32], d[32], e[32];

    printf("  %-24s %8s %10s %14s %10s", what, report_count(f->faults, a, sizeof a),
           report_bytes((double)f->rss, b, sizeof b), report_bytes((double)f->anon_huge, c, sizeof c),
           report_count(f->anon_huge / span, d, sizeof d));
    if (all != NULL)
        printf("  %9s %10s", report_count(all->faults, a, sizeof a),
               report_bytes((double)all->rss, e, sizeof e));
    printf("\n");
}

/* Rss = H x span + (spans - H) x page, for the spans that had no page before. */
static int relation_holds(const struct hugepage_figures *f, size_t spans)
{
    uint64_t h = f->anon_huge / span;

    return f->anon_huge % span == 0 && h <= spans && f->rss == h * span + (spans - h) * page;
}

static void regions(size_t spans, enum hugepage_mode mode)
{
    struct hugepage_figures f[HUGEPAGE_ADVICES], all[HUGEPAGE_ADVICES];
    char a[32], b[32], c[32], d[32];
    int holds = 1, small = -1, huge = -1;

    printf("A region of %zu spans of %s (%s), aligned to %s and mapped on its own;\n"
           "one byte written in each span, then one in each page. Minor faults (getrusage),\n"
           "the region's Rss and AnonHugePages (/proc/self/smaps), each a change; H, the\n"
           "spans mapped with a huge page, is AnonHugePages / %s:\n\n",
           spans, report_bytes((double)span, a, sizeof a),
           report_bytes((double)(spans * span), b, sizeof b), a, a);
    printf("  %-24s %29s %15s  %20s\n", "", "one byte a span", "", "then one a page");
    printf("  %-24s %8s %10s %14s %10s  %9s %10s\n", "advice", "faults", "Rss", "AnonHugePages",
           "H", "faults", "Rss");
    for (int adv = 0; adv < HUGEPAGE_ADVICES; adv++) {
        if (hugepage_measure(spans, span, (enum hugepage_advice)adv, &f[adv], &all[adv]) != 0) {
            fprintf(stderr, "%s: a region of %zu spans, %s: %s\n", PROG, spans,
                    hugepage_advice_name((enum hugepage_advice)adv), strerror(errno));
            exit(1);
        }
        row(hugepage_advice_name((enum hugepage_advice)adv), &f[adv], &all[adv]);
        holds &= relation_holds(&f[adv], spans) && f[adv].faults == spans;
        if (f[adv].anon_huge == 0 && small < 0)
            small = adv;
        if (f[adv].anon_huge == spans * span && huge < 0)
            huge = adv;
    }
    for (int adv = 0; adv < HUGEPAGE_ADVICES; adv++)
        if (f[adv].advice_err != 0)
            printf("  %s refused: %s (the hint is dropped)\n",
                   hugepage_advice_name((enum hugepage_advice)adv), strerror(f[adv].advice_err));
    printf("\n  each row: Rss = H x %s + (%zu - H) x %s, and %zu faults, one a span: %s\n",
           report_bytes((double)span, a, sizeof a), spans, report_bytes((double)page, b, sizeof b),
           spans, holds ? "yes" : "NO (a bug)");
    printf("  H at most, in mode %s: %zu, %zu, %zu\n", hugepage_mode_name(mode),
           hugepage_most(mode, HUGEPAGE_NO, spans), hugepage_most(mode, HUGEPAGE_NONE, spans),
           hugepage_most(mode, HUGEPAGE_YES, spans));
    if (small >= 0 && huge >= 0) {
        printf("  a byte written a span costs %s of Rss with a huge page, %s without: %zux\n",
               report_bytes((double)f[huge].rss / (double)spans, a, sizeof a),
               report_bytes((double)f[small].rss / (double)spans, b, sizeof b),
               (size_t)(f[huge].rss / f[small].rss));
        printf("  a byte written a page: %s faults with %s pages, %s with huge pages: %zux fewer\n",
               report_count(all[small].faults, c, sizeof c), b, report_count(all[huge].faults, d, sizeof d),
               (size_t)(all[small].faults / all[huge].faults));
    } else {
        printf("  no row had %s: the kernel mapped %s\n", huge < 0 ? "every span huge" : "small pages only",
               huge < 0 ? "small pages where a huge page could go (mode, advice, or no free block)"
                        : "huge pages everywhere");
    }
}

/* The malloc'd block, in a child each, with tunables as its GLIBC_TUNABLES. */
static void malloc_row(const char *what, const char *tunables, size_t spans, struct hugepage_figures *fp)
{
    struct hugepage_figures f;
    char err[4096];

    if (hugepage_malloc_child(PROG, tunables, spans, &f, err, sizeof err) != 0) {
        const char *line;

        cli_own_lines(err, &line);
        fprintf(stderr, "%s: the child with GLIBC_TUNABLES=%s: %.*s\n", PROG, *tunables ? tunables : "(none)",
                (int)strcspn(line, "\n"), *line ? line : strerror(errno));
        exit(1);
    }
    row(what, &f, NULL);
    *fp = f;
}

static void blocks(size_t spans)
{
    struct hugepage_figures plain, tuned;
    char a[32], b[32];

    printf("\nglibc's malloc: one block of %s, past the mmap threshold, so a mapping of its\n"
           "own; a child each, since glibc reads GLIBC_TUNABLES when a program starts. With\n"
           "%s (glibc 2.35 and later) it gives its mmap'd blocks MADV_HUGEPAGE:\n\n",
           report_bytes((double)(spans * span), a, sizeof a), TUNABLE);
    printf("  %-24s %8s %10s %14s %10s\n", "GLIBC_TUNABLES", "faults", "Rss", "AnonHugePages", "H");
    malloc_row("(none)", "", spans, &plain);
    malloc_row(TUNABLE, TUNABLE, spans, &tuned);
    printf("\n  the block starts %llu B into its first page, after the chunk header glibc wrote\n"
           "  (and the counting allocator's): the first span's byte faults nothing, and that\n"
           "  span is not a whole %s of the mapping, never a huge page: %zu faults, and H\n"
           "  at most %zu, for %zu spans\n",
           (unsigned long long)plain.offset, report_bytes((double)span, b, sizeof b), spans - 1,
           spans - 1, spans);
}

/* ---- --time ---- */

/* One way's rounds: ns per read (sorted before it is printed) and their median, the least
 * and the most H, the faults while the reads ran (all rounds'). */
struct way {
    double ns[TIME_ROUNDS], median;
    uint64_t h_min, h_max, faults;
    int advice_err;
};

static void timing(size_t spans, enum hugepage_mode mode)
{
    static const enum hugepage_advice advice[2] = {HUGEPAGE_NO, HUGEPAGE_YES};
    struct way w[2] = {{.h_min = UINT64_MAX}, {.h_min = UINT64_MAX}};
    const struct way *no = &w[0], *yes = &w[1];
    char a[32], b[32], c[32], h[64];
    int every_page = 1;

    printf("A region of %zu spans of %s (%s), a byte written in each of its %s pages\n"
           "first, then %s reads of a random 8-byte word of it, each address from a PRNG\n"
           "and the word read before it, timed (the thread's CPU time): %d rounds each way,\n"
           "alternated, a fresh region each round. H, the spans mapped with a huge page, is\n"
           "AnonHugePages / %s; faults, the minor faults while the reads ran:\n\n",
           spans, report_bytes((double)span, a, sizeof a), report_bytes((double)(spans * span), b, sizeof b),
           report_count(spans * span / page, c, sizeof c), report_count(TIME_READS, h, sizeof h),
           TIME_ROUNDS, a);
    cli_flush_stdout();
    for (int round = 0; round < TIME_ROUNDS; round++)
        for (int i = 0; i < 2; i++) {
            struct hugepage_timing t;
            uint64_t hh;

            if (hugepage_time_reads(spans, span, advice[i], TIME_READS, &t) != 0) {
                fprintf(stderr, "%s: --time: a region of %zu spans, %s: %s\n", PROG, spans,
                        hugepage_advice_name(advice[i]), strerror(errno));
                exit(1);
            }
            hh = t.anon_huge / span;
            w[i].ns[round] = t.ns_per_read;
            w[i].h_min = hh < w[i].h_min ? hh : w[i].h_min;
            w[i].h_max = hh > w[i].h_max ? hh : w[i].h_max;
            w[i].faults += t.faults;
            w[i].advice_err = t.advice_err;
            every_page &= t.pages == spans * span / page && t.reads == TIME_READS;
        }
    printf("  %-18s %9s %8s   %s\n", "advice", "H", "faults", "ns per read, median (min - max)");
    for (int i = 0; i < 2; i++) {
        w[i].median = report_median(w[i].ns, TIME_ROUNDS);
        if (w[i].h_min == w[i].h_max)
            snprintf(h, sizeof h, "%llu", (unsigned long long)w[i].h_min);
        else
            snprintf(h, sizeof h, "%llu-%llu", (unsigned long long)w[i].h_min, (unsigned long long)w[i].h_max);
        printf("  %-18s %9s %8s   %.1f ns (%.1f - %.1f)\n", hugepage_advice_name(advice[i]), h,
               report_count(w[i].faults, a, sizeof a), w[i].median, w[i].ns[0], w[i].ns[TIME_ROUNDS - 1]);
    }
    for (int i = 0; i < 2; i++)
        if (w[i].advice_err != 0)
            printf("  %s refused: %s (the hint is dropped)\n", hugepage_advice_name(advice[i]),
                   strerror(w[i].advice_err));
    printf("\n  H at most, in mode %s: %zu, %zu; every page written before the reads: %s\n",
           hugepage_mode_name(mode), hugepage_most(mode, HUGEPAGE_NO, spans),
           hugepage_most(mode, HUGEPAGE_YES, spans), every_page ? "yes" : "NO (a bug)");
    printf("  MADV_NOHUGEPAGE / MADV_HUGEPAGE, the medians: %.2f (%.2f - %.2f, round against round)\n",
           no->median / yes->median, no->ns[0] / yes->ns[TIME_ROUNDS - 1], no->ns[TIME_ROUNDS - 1] / yes->ns[0]);
    if (no->ns[0] <= yes->ns[TIME_ROUNDS - 1] && yes->ns[0] <= no->ns[TIME_ROUNDS - 1])
        printf("  the rounds overlap: no measurable difference\n");
    else if (no->ns[0] > yes->ns[TIME_ROUNDS - 1])
        printf("  the rounds do not overlap: huge pages faster: %.2fx\n", no->median / yes->median);
    else
        printf("  the rounds do not overlap: huge pages slower: %.2fx\n", yes->median / no->median);
    if (yes->h_max == 0)
        printf("  no round with MADV_HUGEPAGE got a huge page (the mode, or no free %s block):\n"
               "  both ways read small pages, and a difference is noise\n", report_bytes((double)span, a, sizeof a));
    if (!every_page)
        exit(1);
}

/* The first lines, both ways: the mode and the sizes. */
static void intro(const char *what, enum hugepage_mode mode, const char *text)
{
    char a[32], b[32];

    printf("%s: transparent huge pages, %s.\n", PROG, what);
    if (mode == HUGEPAGE_MISSING)
        printf("The kernel's mode: missing (no %s: a kernel\nwithout THP maps small pages only, as never does)", HUGEPAGE_ENABLED);
    else
        printf("The kernel's mode: %s (%s\nreads \"%s\")", hugepage_mode_name(mode), HUGEPAGE_ENABLED, text);
    printf("; a huge page is %s\n(hpage_pmd_size), a page %s.\n\n", report_bytes((double)span, a, sizeof a),
           report_bytes((double)page, b, sizeof b));
    cli_flush_stdout();
}

int main(int argc, char **argv)
{
    uint64_t spans = DEFAULT_SPANS;
    enum hugepage_mode mode;
    char text[256], line[256];

    cli_close_stdout_at_exit(PROG);
    page = (size_t)sysconf(_SC_PAGESIZE);
    span = hugepage_size_read(HUGEPAGE_PMD_SIZE);
    if (cli_flag(argc, argv, "--malloc")) {
        struct hugepage_figures f;

        cli_max_args(PROG, argc, 2, "--malloc SPANS");
        if (argc < 3) {
            fprintf(stderr, "%s: --malloc needs SPANS, a whole number from 1 to %d\n", PROG, MAX_SPANS);
            exit(2);
        }
        spans = cli_u64(PROG, "SPANS", argv[2], 1, MAX_SPANS);
        if (hugepage_malloc_measure((size_t)spans, span, &f) != 0) {
            if (errno == ENOMEM)
                cli_oom(PROG, "allocating the block");
            fprintf(stderr, "%s: the malloc'd block: %s\n", PROG, strerror(errno));
            return 1;
        }
        hugepage_figures_format(&f, line, sizeof line);
        fputs(line, stdout);
        return 0;
    }
    if (cli_flag(argc, argv, "--time")) {
        cli_max_args(PROG, argc, 2, "--time [SPANS]");
        spans = argc == 3 ? cli_u64(PROG, "SPANS", argv[2], 1, MAX_SPANS) : TIME_SPANS;
        mode = hugepage_mode_read(HUGEPAGE_ENABLED, text, sizeof text);
        intro("what they buy: random reads timed", mode, text);
        timing((size_t)spans, mode);
        return 0;
    }
    cli_max_args(PROG, argc, 1, "[SPANS], --time [SPANS] or --malloc SPANS");
    if (argc == 2)
        spans = cli_u64(PROG, "SPANS", argv[1], 1, MAX_SPANS);

    mode = hugepage_mode_read(HUGEPAGE_ENABLED, text, sizeof text);
    intro("fewer faults and more memory", mode, text);
    regions((size_t)spans, mode);
    cli_flush_stdout();
    blocks((size_t)spans);
    return 0;
}
